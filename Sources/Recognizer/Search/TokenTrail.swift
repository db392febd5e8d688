/// Shared storage of emitted tokens for all hypotheses of a search: each token links to the one
/// before it, so hypotheses that share a prefix share its storage and extending one is O(1)
/// however long the transcript grows. Unreachable tokens are dropped by `compact(keeping:)`.
public struct TokenTrail: Sendable {
    /// "No token": the start of the stream.
    public static let none: Int32 = -1

    public private(set) var tokens: [Int32] = []
    public private(set) var frames: [Int32] = []
    public private(set) var parents: [Int32] = []
    private var liveAfterLastCompaction = 0
    /// Compaction's marks and new indices, kept so that a long stream's compactions allocate nothing.
    private var isLive: [Bool] = []
    private var newIndex: [Int32] = []

    public init() {}

    /// Makes room for `count` tokens, so a stream that stays within them never grows the trail.
    public mutating func reserveCapacity(_ count: Int) {
        tokens.reserveCapacity(count)
        frames.reserveCapacity(count)
        parents.reserveCapacity(count)
    }

    public var count: Int { tokens.count }

    /// Forgets every token, keeping the storage for the next ones.
    public mutating func removeAll() {
        tokens.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        parents.removeAll(keepingCapacity: true)
        liveAfterLastCompaction = 0
    }

    /// Appends `token` decoded at encoder frame `frame` after `parent`; returns its index.
    public mutating func append(token: Int, frame: Int, after parent: Int32) -> Int32 {
        tokens.append(Int32(truncatingIfNeeded: token))
        frames.append(Int32(truncatingIfNeeded: frame))
        parents.append(parent)
        return Int32(tokens.count - 1)
    }

    /// The last `count` tokens ending at `tail`, oldest first, with the frame of each.
    public func path(endingAt tail: Int32, count: Int) -> (tokens: [Int], frames: [Int]) {
        var ids = [Int](repeating: 0, count: count)
        var times = [Int](repeating: 0, count: count)
        var node = tail
        var index = count - 1
        while index >= 0 && node != Self.none {
            ids[index] = Int(tokens[Int(node)])
            times[index] = Int(frames[Int(node)])
            node = parents[Int(node)]
            index -= 1
        }
        if index >= 0 {  // fewer tokens than asked for: drop the unfilled front
            return (Array(ids[(index + 1)...]), Array(times[(index + 1)...]))
        }
        return (ids, times)
    }

    /// Whether the path ending at `tail` with `count` tokens has exactly `tokens`, walked from its
    /// end without building it (a stream asks after every chunk whether its result changed).
    public func path(endingAt tail: Int32, count: Int, equals tokens: [Int]) -> Bool {
        guard count == tokens.count else { return false }
        var node = tail
        var index = count - 1
        while index >= 0 && node != Self.none {
            if Int(self.tokens[Int(node)]) != tokens[index] { return false }
            node = parents[Int(node)]
            index -= 1
        }
        return index < 0
    }

    /// Writes the decoder context of a path: its last `context.count` tokens, oldest first, filling
    /// in front of the stream start with the reference's start context (-1 ... -1, blank).
    public func context(endingAt tail: Int32, into context: inout [Int64]) {
        var node = tail
        var index = context.count - 1
        while index >= 0 && node != Self.none {
            context[index] = Int64(tokens[Int(node)])
            node = parents[Int(node)]
            index -= 1
        }
        if index >= 0 {
            context[index] = 0
            index -= 1
            while index >= 0 {
                context[index] = -1
                index -= 1
            }
        }
    }

    /// Whether compaction would pay off: the trail has grown well past what was live last time.
    public var needsCompaction: Bool {
        tokens.count > Self.compactionThreshold && tokens.count > 2 * liveAfterLastCompaction
    }

    /// Below this many tokens the trail is never compacted.
    public static let compactionThreshold = 4096

    /// Keeps only tokens reachable from `tails` and rewrites `tails` to the new indices. Works in place,
    /// so the trail's storage is reused.
    public mutating func compact(keeping tails: inout [Int32]) {
        isLive.removeAll(keepingCapacity: true)
        isLive.append(contentsOf: repeatElement(false, count: tokens.count))
        for tail in tails {
            var node = tail
            while node != Self.none && !isLive[Int(node)] {
                isLive[Int(node)] = true
                node = parents[Int(node)]
            }
        }
        // Parents always precede children, so one forward pass renumbers consistently, and a token
        // never moves past one not yet read.
        newIndex.removeAll(keepingCapacity: true)
        newIndex.append(contentsOf: repeatElement(Self.none, count: tokens.count))
        var kept = 0
        for old in 0..<tokens.count where isLive[old] {
            newIndex[old] = Int32(kept)
            tokens[kept] = tokens[old]
            frames[kept] = frames[old]
            let parent = parents[old]
            parents[kept] = parent == Self.none ? Self.none : newIndex[Int(parent)]
            kept += 1
        }
        tokens.removeLast(tokens.count - kept)
        frames.removeLast(frames.count - kept)
        parents.removeLast(parents.count - kept)
        liveAfterLastCompaction = kept
        for index in tails.indices where tails[index] != Self.none {
            tails[index] = newIndex[Int(tails[index])]
        }
    }
}
