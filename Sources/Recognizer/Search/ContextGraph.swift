/// Contextual biasing (hotwords) as sherpa-onnx does it: an Aho-Corasick automaton over the token
/// sequences of the phrases. Each token that extends a match earns the phrase's per-token score;
/// when the match breaks, the partial bonus is taken back (the fail arc lands on a shorter match,
/// keeping only that one's bonus); a completed phrase keeps its bonus and the path returns to the
/// root (sherpa-onnx's non-strict mode, the one its beam search uses).
///
/// Given which tokens continue a word, a phrase completes only where its last word ends: its bonus
/// waits for the next token, is kept when that token starts a new word (or nothing follows), and is
/// taken back when it continues the same word (a hotword LOBSTER is not matched by LOBSTERN).
///
/// Immutable once built, so one graph serves any number of streams; a path's place in it is one
/// `Int32`: `root` at the start, a node inside a match, or `-1 - node` for a phrase complete at
/// `node` whose word has not ended yet.
public final class ContextGraph: Sendable {
    struct Node: Sendable {
        /// The bonus for the token that leads here.
        var tokenScore: Float
        /// The bonus accumulated from the root to here.
        var nodeScore: Float
        /// Non-zero where a phrase ends here or at a node the output arc reaches.
        var outputScore: Float
        var isEnd: Bool
        /// The longest proper suffix of this node's tokens that is a prefix in the graph.
        var fail: Int32
        /// The nearest node along the fail arcs where a phrase ends, or -1.
        var output: Int32
    }

    public static let root: Int32 = 0

    private let nodes: [Node]
    /// Child of (node, token), keyed `node << 32 | token`.
    private let children: [Int: Int32]

    /// The number of phrases in the graph.
    public let phraseCount: Int
    /// The tokens with a child at each node: node n's are `childTokens[childStart[n]..<childStart[n + 1]]`.
    private let childStart: [Int]
    private let childTokens: [Int]
    /// Per token, whether it continues the word before it (no `▁`); empty when completions do not
    /// wait for the word's end.
    private let continuesWord: [Bool]

    /// A graph over `phrases` (token ids, none empty); `scores[i]` is phrase i's per-token bonus, with
    /// 0 meaning `defaultScore` (as sherpa-onnx reads a missing `:score`). With `continuesWord` (one
    /// flag per token id), a phrase completes where its last word ends; without it, at its last
    /// token, as in sherpa-onnx.
    public init(phrases: [[Int]], scores: [Float], defaultScore: Float, continuesWord: [Bool] = []) {
        precondition(phrases.count == scores.count)
        self.continuesWord = continuesWord
        var nodes = [Node(tokenScore: 0, nodeScore: 0, outputScore: 0, isEnd: false, fail: Self.root, output: -1)]
        var children: [Int: Int32] = [:]
        for (tokens, phraseScore) in zip(phrases, scores) {
            let score = phraseScore == 0 ? defaultScore : phraseScore
            var node = Self.root
            for (index, token) in tokens.enumerated() {
                let isLast = index == tokens.count - 1
                let key = Self.key(node, token)
                let parentScore = nodes[Int(node)].nodeScore
                if let child = children[key] {
                    // A shared prefix keeps the larger per-token bonus.
                    var existing = nodes[Int(child)]
                    existing.tokenScore = max(score, existing.tokenScore)
                    existing.nodeScore = parentScore + existing.tokenScore
                    existing.isEnd = isLast || existing.isEnd
                    existing.outputScore = existing.isEnd ? existing.nodeScore : 0
                    nodes[Int(child)] = existing
                    node = child
                } else {
                    let nodeScore = parentScore + score
                    nodes.append(Node(tokenScore: score, nodeScore: nodeScore, outputScore: isLast ? nodeScore : 0,
                                      isEnd: isLast, fail: Self.root, output: -1))
                    let child = Int32(nodes.count - 1)
                    children[key] = child
                    node = child
                }
            }
        }
        Self.linkFailAndOutputArcs(&nodes, children: children)
        self.nodes = nodes
        self.children = children
        self.phraseCount = phrases.count
        // Each node's continuations, for `addBonuses`.
        var tokensOf = [[Int]](repeating: [], count: nodes.count)
        for key in children.keys { tokensOf[key >> 32].append(key & 0xFFFF_FFFF) }
        self.childStart = tokensOf.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        self.childTokens = tokensOf.flatMap { $0.sorted() }
    }

    /// Adds to `scores` (one per token) the bonus each token would earn from `state`, except for
    /// `blank` and `unknown`, which the search never follows in the graph. `row` (as long as
    /// `scores`) is scratch space.
    public func addBonuses(from state: Int32, to scores: UnsafeMutableBufferPointer<Float>, blank: Int, unknown: Int?,
                           row: UnsafeMutableBufferPointer<Float>) {
        precondition(row.count >= scores.count)
        if state < 0 {
            // Past a complete phrase: a new word keeps it, a piece that goes on with the word gives
            // it back (unless a longer phrase continues, below).
            let completed = completedBonus(nodes[Int(-1 - state)])
            for token in scores.indices { row[token] = token < continuesWord.count && continuesWord[token] ? -completed : 0 }
        } else {
            // A token that no node on the fail chain continues falls back to the root and gives the
            // whole partial bonus back.
            row.update(repeating: -nodes[Int(state)].nodeScore)
        }
        forEachContinuation(from: state) { token in
            if token < scores.count { row[token] = forward(from: state, token: token).score }
        }
        for token in scores.indices where token != blank && token != unknown { scores[token] += row[token] }
    }

    /// Calls `body` with each token that may go on with a match from `state` (or start one): the
    /// children of the nodes on its fail chain down to the root; past a complete phrase, the
    /// children of the phrase's node and of the root. Every other token leads to the root.
    private func forEachContinuation(from state: Int32, _ body: (Int) -> Void) {
        var node = state < 0 ? -1 - state : state
        while true {
            for token in childTokens[childStart[Int(node)]..<childStart[Int(node) + 1]] { body(token) }
            if node == Self.root { return }
            node = state < 0 ? Self.root : nodes[Int(node)].fail
        }
    }

    /// Whether a path at `state` is outside every match: at the root, or past a complete phrase.
    public func isOutsideMatches(_ state: Int32) -> Bool { state <= Self.root }

    /// The token whose candidate ranks best in `scores` (one per token, bonuses included) among those
    /// that leave a path at `state` outside every match (blank and `unknown` leave it where it is),
    /// or nil. `marks` (one per token, all false) is scratch space, left all false.
    public func bestTokenOutsideMatches(from state: Int32, scores: UnsafeBufferPointer<Float>, blank: Int, unknown: Int?,
                                        marks: UnsafeMutableBufferPointer<Bool>) -> Int? {
        forEachContinuation(from: state) { token in if token < marks.count { marks[token] = true } }
        var best: Int?
        var bestScore = -Float.infinity
        for token in scores.indices where scores[token] > bestScore {
            let outside = token == blank || token == unknown ? isOutsideMatches(state)
                : !marks[token] || isOutsideMatches(forward(from: state, token: token).state)
            if outside {
                best = token
                bestScore = scores[token]
            }
        }
        forEachContinuation(from: state) { token in if token < marks.count { marks[token] = false } }
        return best
    }

    /// The bonus a path at `state` has earned in a match it has not finished (0 at the root and for
    /// a completed phrase): what it gives back if the match breaks.
    public func partialBonus(at state: Int32) -> Float { state < 0 ? 0 : nodes[Int(state)].nodeScore }

    /// The bonus a phrase complete at `node` keeps: its own, or that of the phrase its output arc reaches.
    private func completedBonus(_ node: Node) -> Float {
        node.isEnd ? node.nodeScore : (node.output >= 0 ? nodes[Int(node.output)].nodeScore : node.nodeScore)
    }

    /// Follows `token` from `state`: the bonus to add to the path's score and the path's new state.
    public func forward(from state: Int32, token: Int) -> (score: Float, state: Int32) {
        if state < 0 {
            // A phrase complete at `end`, waiting for its word to end.
            guard token < continuesWord.count, continuesWord[token] else { return forward(from: Self.root, token: token) }
            let end = -1 - state
            let endNode = nodes[Int(end)]
            guard children[Self.key(end, token)] != nil else { return (-completedBonus(endNode), Self.root) }
            // A longer phrase goes on: the path holds the completed bonus where the match held its own.
            let step = forward(from: end, token: token)
            return (step.score + endNode.nodeScore - completedBonus(endNode), step.state)
        }
        let current = nodes[Int(state)]
        var node: Int32
        var score: Float
        if let child = children[Self.key(state, token)] {
            node = child
            score = nodes[Int(child)].tokenScore
        } else {
            node = current.fail
            while children[Self.key(node, token)] == nil {
                node = nodes[Int(node)].fail
                if node == Self.root { break }
            }
            if let child = children[Self.key(node, token)] { node = child }
            // Back to a shorter match: only its bonus remains.
            score = nodes[Int(node)].nodeScore - current.nodeScore
        }
        let reached = nodes[Int(node)]
        if reached.outputScore != 0 {
            // A phrase is complete: keep its bonus and start over, at once or when the word ends.
            return (score + completedBonus(reached) - reached.nodeScore, continuesWord.isEmpty ? Self.root : -1 - node)
        }
        return (score + reached.outputScore, node)
    }

    private static func key(_ node: Int32, _ token: Int) -> Int { Int(node) << 32 | (token & 0xFFFF_FFFF) }

    /// Breadth first, so a node's fail target (always shallower) is final before the node is linked.
    private static func linkFailAndOutputArcs(_ nodes: inout [Node], children: [Int: Int32]) {
        var childrenOf = [[(token: Int, node: Int32)]](repeating: [], count: nodes.count)
        for (key, child) in children { childrenOf[key >> 32].append((key & 0xFFFF_FFFF, child)) }
        var queue: [Int32] = []
        for (_, child) in childrenOf[Int(root)] {
            nodes[Int(child)].fail = root
            queue.append(child)
        }
        var head = 0
        while head < queue.count {
            let current = queue[head]
            head += 1
            for (token, child) in childrenOf[Int(current)] {
                var fail = nodes[Int(current)].fail
                if let next = children[key(fail, token)] {
                    fail = next
                } else {
                    fail = nodes[Int(fail)].fail
                    while children[key(fail, token)] == nil {
                        fail = nodes[Int(fail)].fail
                        if fail == root { break }
                    }
                    if let next = children[key(fail, token)] { fail = next }
                }
                nodes[Int(child)].fail = fail
                var output: Int32 = fail
                while !nodes[Int(output)].isEnd {
                    output = nodes[Int(output)].fail
                    if output == root {
                        output = -1
                        break
                    }
                }
                nodes[Int(child)].output = output
                if output >= 0 { nodes[Int(child)].outputScore += nodes[Int(output)].outputScore }
                queue.append(child)
            }
        }
    }
}
