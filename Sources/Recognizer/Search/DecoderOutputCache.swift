/// Decoder outputs by token context, so a context the search has seen is never run through the
/// decoder again (the decoder is stateless: its output depends only on the last `contextSize` tokens).
///
/// Slots are reused round-robin, so an output stays valid for at least `capacity - 1` further
/// look-ups: a beam frame asks for at most `beam` contexts, far fewer than the capacity.
public final class DecoderOutputCache {
    private let network: TransducerNetwork
    private let dimension: Int
    private let vocabularySize: Int
    public let capacity: Int
    private let storage: UnsafeMutablePointer<Float>
    private var slotByKey: [Int: Int] = [:]
    private var keyBySlot: [Int?]
    private var nextSlot = 0

    /// Number of decoder runs so far (cache misses).
    public private(set) var decoderRuns = 0
    /// Number of look-ups answered from the cache.
    public private(set) var hits = 0

    public init(network: TransducerNetwork, capacity: Int = 256) {
        self.network = network
        self.dimension = network.joinerInputDimension
        self.vocabularySize = network.vocabularySize
        self.capacity = max(capacity, 2)
        self.storage = .allocate(capacity: self.capacity * dimension)
        self.keyBySlot = Array(repeating: nil, count: self.capacity)
        // It never holds more keys than slots, so it never grows.
        slotByKey.reserveCapacity(self.capacity)
    }

    deinit { storage.deallocate() }

    /// The decoder output for `context` (`contextSize` ids, oldest first; -1 marks "before the start").
    public func output(for context: [Int64]) throws -> UnsafeBufferPointer<Float> {
        // Ids are >= -1 and < vocabularySize, so this positional code is unique per context.
        var key = 0
        for id in context { key = key &* (vocabularySize + 1) &+ Int(id + 1) }
        if let slot = slotByKey[key] {
            hits += 1
            return UnsafeBufferPointer(start: storage + slot * dimension, count: dimension)
        }
        let slot = nextSlot
        nextSlot = (nextSlot + 1) % capacity
        if let evicted = keyBySlot[slot] { slotByKey[evicted] = nil }
        let destination = UnsafeMutableBufferPointer(start: storage + slot * dimension, count: dimension)
        // Read in place: keeping a copy would share the caller's buffer, and its next edit would copy.
        try context.withUnsafeBufferPointer { try network.decode(context: $0, into: destination) }
        decoderRuns += 1
        keyBySlot[slot] = key
        slotByKey[key] = slot
        return UnsafeBufferPointer(destination)
    }

    /// Forgets every cached output (not needed for correctness; frees nothing, keeps capacity).
    public func removeAll() {
        slotByKey.removeAll(keepingCapacity: true)
        keyBySlot = Array(repeating: nil, count: capacity)
        nextSlot = 0
    }
}
