import Synchronization

/// A single-producer, single-consumer ring of samples with the time each write arrived, so the
/// capture thread never waits on a lock held by recognition.
///
/// The producer publishes a write by storing the new write position with release ordering; the
/// consumer reads it with acquire ordering, and symmetrically for the read position.
public final class SampleRingBuffer: @unchecked Sendable {
    public let capacity: Int
    private let storage: UnsafeMutablePointer<Float>
    /// Total samples ever written / read; the ring index is the count modulo capacity.
    private let written = Atomic<Int>(0)
    private let consumed = Atomic<Int>(0)
    /// For each of the last `markCapacity` writes: the write's end position and its arrival time.
    private let markCapacity = 1024
    private let markEnds: UnsafeMutablePointer<Int>
    private let markTimes: UnsafeMutablePointer<UInt64>
    private let marksWritten = Atomic<Int>(0)
    private var marksRead = 0

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        storage = .allocate(capacity: capacity)
        markEnds = .allocate(capacity: markCapacity)
        markTimes = .allocate(capacity: markCapacity)
    }

    deinit {
        storage.deallocate()
        markEnds.deallocate()
        markTimes.deallocate()
    }

    /// Samples the producer can write without overtaking the consumer.
    public var freeSpace: Int { capacity - (written.load(ordering: .relaxed) - consumed.load(ordering: .acquiring)) }

    /// Samples the consumer can read.
    public var available: Int { written.load(ordering: .acquiring) - consumed.load(ordering: .relaxed) }

    /// Producer: appends as many of `samples` as fit and returns how many were written.
    @discardableResult
    public func write(_ samples: UnsafeBufferPointer<Float>, arrival: UInt64) -> Int {
        let start = written.load(ordering: .relaxed)
        let count = min(samples.count, capacity - (start - consumed.load(ordering: .acquiring)))
        guard count > 0, let source = samples.baseAddress else { return 0 }
        let offset = start % capacity
        let firstPart = min(count, capacity - offset)
        (storage + offset).update(from: source, count: firstPart)
        if count > firstPart { storage.update(from: source + firstPart, count: count - firstPart) }
        let mark = marksWritten.load(ordering: .relaxed)
        markEnds[mark % markCapacity] = start + count
        markTimes[mark % markCapacity] = arrival
        marksWritten.store(mark + 1, ordering: .releasing)
        written.store(start + count, ordering: .releasing)
        return count
    }

    /// Consumer: moves up to `destination.count` samples out; returns the count and the arrival
    /// time of the newest sample taken (0 if nothing was read).
    public func read(into destination: UnsafeMutableBufferPointer<Float>) -> (count: Int, arrival: UInt64) {
        let start = consumed.load(ordering: .relaxed)
        let count = min(destination.count, written.load(ordering: .acquiring) - start)
        guard count > 0, let target = destination.baseAddress else { return (0, 0) }
        let offset = start % capacity
        let firstPart = min(count, capacity - offset)
        target.update(from: storage + offset, count: firstPart)
        if count > firstPart { (target + firstPart).update(from: storage, count: count - firstPart) }
        let end = start + count
        // The newest sample read belongs to the first write whose end reaches `end`.
        var arrival: UInt64 = 0
        let marks = marksWritten.load(ordering: .acquiring)
        marksRead = max(marksRead, marks - markCapacity)
        while marksRead < marks {
            let slot = marksRead % markCapacity
            arrival = markTimes[slot]
            if markEnds[slot] >= end { break }
            marksRead += 1
        }
        consumed.store(end, ordering: .releasing)
        return (count, arrival)
    }
}
