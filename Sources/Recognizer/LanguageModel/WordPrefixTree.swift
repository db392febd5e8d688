/// The language model's words spelled byte by byte, each node holding the best unigram log10
/// probability of the words it begins: the look-ahead that lets beam search charge a word while it
/// is still being spelled, so starting a word is not cheaper than the word itself.
public struct WordPrefixTree: Sendable {
    /// Child of (node, byte), keyed `node << 8 | byte`.
    private let children: [Int: Int32]
    /// Best unigram log10 probability below each node.
    let bestBelow: [Float]
    public static let root: Int32 = 0
    /// Where a spelling that no word begins with ends up.
    public static let outside: Int32 = -1

    public init(model: NGramLanguageModel) {
        var children: [Int: Int32] = [:]
        var best: [Float] = [-.infinity]
        for (id, word) in model.words.enumerated() where word != "<s>" && word != "</s>" && word != "<unk>" {
            let probability = model.score(Int32(id), after: NGramLanguageModel.root).log10Probability
            var node: Int32 = Self.root
            best[0] = max(best[0], probability)
            for byte in word.utf8 {
                let key = Int(node) << 8 | Int(byte)
                if let child = children[key] {
                    node = child
                } else {
                    best.append(-.infinity)
                    node = Int32(best.count - 1)
                    children[key] = node
                }
                best[Int(node)] = max(best[Int(node)], probability)
            }
        }
        self.children = children
        bestBelow = best
    }

    @inline(__always) func child(_ node: Int32, _ byte: UInt8) -> Int32 {
        guard node >= 0 else { return Self.outside }
        return children[Int(node) << 8 | Int(byte)] ?? Self.outside
    }
}
