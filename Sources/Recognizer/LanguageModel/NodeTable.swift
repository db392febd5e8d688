/// A map from 64-bit keys to non-negative node ids in one open-addressing array (linear probing,
/// at most 3/4 full): an ARPA model holds millions of n-grams, and Swift's `Dictionary` (a seeded
/// SipHash per lookup, capacity rounded up to a power of two) was the largest part (38 %) of
/// loading a large one (docs/measurements.md). Insert-only, as a language model is read once and
/// then only queried.
package struct NodeTable: Sendable {
    private struct Slot {
        var key: UInt64
        /// `empty` in a free slot.
        var node: Int32
    }

    private static let empty: Int32 = -1
    private var slots: [Slot]
    package private(set) var count = 0

    package init(minimumCapacity: Int = 0) {
        slots = Array(repeating: Slot(key: 0, node: Self.empty), count: Self.slotCount(for: minimumCapacity))
    }

    /// Slots for `count` keys at no more than 3/4 full, so at least one is free and probes end.
    private static func slotCount(for count: Int) -> Int { (count + 2) / 3 * 4 + 4 }

    /// The keys the slots take before they grow.
    private var maximumCount: Int { slots.count / 4 * 3 }

    /// The first slot a key probes: its mixed bits scaled onto the slots (no power-of-two rounding).
    @inline(__always) private static func home(of key: UInt64, slotCount: Int) -> Int {
        // MurmurHash3's 64-bit finalizer: every key bit moves the high bits the scaling keeps.
        var mixed = key
        mixed ^= mixed >> 33
        mixed &*= 0xff51_afd7_ed55_8ccd
        mixed ^= mixed >> 33
        mixed &*= 0xc4ce_b9fe_1a85_ec53
        mixed ^= mixed >> 33
        return Int(mixed.multipliedFullWidth(by: UInt64(slotCount)).high)
    }

    /// The node stored under `key`, nil if none.
    @inline(__always) package subscript(key: UInt64) -> Int32? {
        slots.withUnsafeBufferPointer { slots in
            var index = Self.home(of: key, slotCount: slots.count)
            while true {
                let slot = slots[index]
                if slot.node == Self.empty { return nil }
                if slot.key == key { return slot.node }
                index += 1
                if index == slots.count { index = 0 }
            }
        }
    }

    /// Stores `node` (non-negative) under `key`; false, and nothing changed, if the key is present.
    package mutating func insert(_ node: Int32, for key: UInt64) -> Bool {
        precondition(node >= 0, "a node id is non-negative")
        if count == maximumCount { reserveCapacity(count * 2) }
        let inserted = slots.withUnsafeMutableBufferPointer { slots in
            var index = Self.home(of: key, slotCount: slots.count)
            while slots[index].node != Self.empty {
                if slots[index].key == key { return false }
                index += 1
                if index == slots.count { index = 0 }
            }
            slots[index] = Slot(key: key, node: node)
            return true
        }
        if inserted { count += 1 }
        return inserted
    }

    /// Makes room for `capacity` keys in all, so that inserting up to it never rehashes.
    package mutating func reserveCapacity(_ capacity: Int) {
        let slotCount = Self.slotCount(for: capacity)
        guard slotCount > slots.count else { return }
        let old = slots
        slots = Array(repeating: Slot(key: 0, node: Self.empty), count: slotCount)
        count = 0
        for slot in old where slot.node != Self.empty { _ = insert(slot.node, for: slot.key) }
    }
}
