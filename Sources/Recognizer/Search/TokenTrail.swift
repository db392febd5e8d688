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

    public init() {}

    public var count: Int { tokens.count }

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
        tokens.count > 4096 && tokens.count > 2 * liveAfterLastCompaction
    }

    /// Keeps only tokens reachable from `tails` and rewrites `tails` to the new indices.
    public mutating func compact(keeping tails: inout [Int32]) {
        var live = [Bool](repeating: false, count: tokens.count)
        for tail in tails {
            var node = tail
            while node != Self.none && !live[Int(node)] {
                live[Int(node)] = true
                node = parents[Int(node)]
            }
        }
        // Parents always precede children, so one forward pass renumbers consistently.
        var newIndex = [Int32](repeating: Self.none, count: tokens.count)
        var newTokens: [Int32] = []
        var newFrames: [Int32] = []
        var newParents: [Int32] = []
        for old in 0..<tokens.count where live[old] {
            newIndex[old] = Int32(newTokens.count)
            newTokens.append(tokens[old])
            newFrames.append(frames[old])
            let parent = parents[old]
            newParents.append(parent == Self.none ? Self.none : newIndex[Int(parent)])
        }
        tokens = newTokens
        frames = newFrames
        parents = newParents
        liveAfterLastCompaction = newTokens.count
        for index in tails.indices where tails[index] != Self.none {
            tails[index] = newIndex[Int(tails[index])]
        }
    }
}
