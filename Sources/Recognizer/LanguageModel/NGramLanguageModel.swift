/// A word n-gram language model with back-off (what an ARPA file holds), compact in memory: each
/// n-gram is a node of a trie keyed `(context node, word)`, with its log10 probability and back-off
/// weight as Floats, and a link to the node of its longest proper suffix so that a query backs off
/// without rebuilding word sequences. Immutable once read, so one model serves any number of streams.
public final class NGramLanguageModel: Sendable {
    /// The highest n-gram order.
    public let order: Int
    /// Word ids by the 64-bit FNV-1a hash of the word's UTF-8 bytes: the search looks words up
    /// from a running hash of their pieces, without building strings.
    let wordsByHash: NodeTable
    public let wordCount: Int
    let logProbabilities: [Float]
    let backoffs: [Float]
    let suffixes: [Int32]
    let depths: [UInt8]
    /// The trie's edges: `key(context node, word)` → node.
    let children: NodeTable
    /// The state after `<s>` (the root when the model has no `<s>`).
    public let startState: Int32
    let endWord: Int32?
    let unknownWord: Int32?
    /// log10 probability of a word outside the vocabulary when the model has no `<unk>` (KenLM's).
    static let missingUnknownLogProbability: Float = -100

    public static let root: Int32 = 0

    /// The words of the vocabulary (in file order).
    public let words: [String]

    init(order: Int, words: [String], wordsByHash: NodeTable, logProbabilities: [Float], backoffs: [Float],
         depths: [UInt8], children: NodeTable, parents: [Int32], lastWords: [Int32]) {
        self.order = order
        self.wordsByHash = wordsByHash
        self.words = words
        wordCount = words.count
        self.logProbabilities = logProbabilities
        self.backoffs = backoffs
        self.depths = depths
        self.children = children
        // Nodes come in order of depth, so a node's parent's suffix is linked before the node.
        var suffixes = [Int32](repeating: Self.root, count: depths.count)
        for node in 1..<depths.count where depths[node] > 1 {
            var candidate = suffixes[Int(parents[node])]
            while true {
                if let next = children[Self.key(candidate, lastWords[node])] { suffixes[node] = next; break }
                if candidate == Self.root { break }
                candidate = suffixes[Int(candidate)]
            }
        }
        self.suffixes = suffixes
        let begin = words.firstIndex(of: "<s>").map(Int32.init)
        startState = begin.flatMap { children[Self.key(Self.root, $0)] } ?? Self.root
        endWord = words.firstIndex(of: "</s>").map(Int32.init)
        unknownWord = words.firstIndex(of: "<unk>").map(Int32.init)
    }

    /// The id of a word whose UTF-8 bytes hash to `hash` (`hash(_:)`), nil outside the vocabulary.
    public func word(hash: UInt64) -> Int32? { wordsByHash[hash] }

    /// log10 P(`word` | the history `state` stands for), backing off as ARPA prescribes, and the
    /// state after the word. A word outside the vocabulary (nil) is `<unk>`.
    public func score(_ word: Int32?, after state: Int32) -> (log10Probability: Float, state: Int32) {
        guard let word = word ?? unknownWord else { return (Self.missingUnknownLogProbability, Self.root) }
        var context = state
        var backoff: Float = 0
        while true {
            if let node = children[Self.key(context, word)] {
                let probability = backoff + logProbabilities[Int(node)]
                // The next history keeps at most order - 1 words.
                let next = Int(depths[Int(node)]) >= order ? suffixes[Int(node)] : node
                return (probability, next)
            }
            if context == Self.root {
                // Only for a vocabulary word without a unigram, which a well-formed file does not have.
                return (backoff + Self.missingUnknownLogProbability, Self.root)
            }
            backoff += backoffs[Int(context)]
            context = suffixes[Int(context)]
        }
    }

    /// log10 P(`</s>` | `state`); 0 when the model has no `</s>`.
    public func endScore(after state: Int32) -> Float {
        guard let endWord else { return 0 }
        return score(endWord, after: state).log10Probability
    }

    static func key(_ node: Int32, _ word: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: node)) << 32 | UInt64(UInt32(bitPattern: word))
    }

    /// 64-bit FNV-1a over bytes: `hash(_:)` of a whole word equals folding `extend` over its bytes.
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        bytes.reduce(emptyHash, extend)
    }

    public static let emptyHash: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always) public static func extend(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x100_0000_01b3
    }
}
