/// A growable run of Floats that can drop its front by moving the rest down, so a long stream
/// reuses the same storage once it has reached its working size (no allocation in steady state).
struct CompactingFloatBuffer {
    private(set) var storage: UnsafeMutablePointer<Float>
    private(set) var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        storage = .allocate(capacity: self.capacity)
    }

    /// Frees the storage; the owner calls this once, from its deinit.
    func release() { storage.deallocate() }

    /// Makes room for `extra` more values and returns where they go; the caller fills them and calls `commit`.
    mutating func reserveTail(_ extra: Int) -> UnsafeMutablePointer<Float> {
        if count + extra > capacity {
            var newCapacity = capacity
            while newCapacity < count + extra { newCapacity *= 2 }
            let grown = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity)
            grown.moveInitialize(from: storage, count: count)
            storage.deallocate()
            storage = grown
            capacity = newCapacity
        }
        return storage + count
    }

    mutating func commit(_ extra: Int) { count += extra }

    /// Drops the first `n` values (clamped to the count).
    mutating func removeFirst(_ n: Int) {
        let dropped = min(max(n, 0), count)
        guard dropped > 0 else { return }
        // Overlapping move: copyMemory has memmove semantics.
        UnsafeMutableRawPointer(storage).copyMemory(from: storage + dropped, byteCount: (count - dropped) * MemoryLayout<Float>.stride)
        count -= dropped
    }
}
