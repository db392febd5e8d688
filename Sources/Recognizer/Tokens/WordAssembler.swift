/// Groups tokens into words at `▁` boundaries and gives each word a time span.
///
/// A word starts at its first token's time. It ends where the next word starts (the transducer
/// emits a token when it is sure of it, so the gap before the next word belongs to this one), and
/// the last word ends one encoder frame after its last token.
public struct WordAssembler: Sendable {
    public let tokens: TokenTable
    /// Duration of one encoder frame in seconds (0.04 s for a 25 Hz encoder).
    public let frameDuration: Double

    public init(tokens: TokenTable, frameDuration: Double) {
        self.tokens = tokens
        self.frameDuration = frameDuration
    }

    /// Words of `ids` whose times are `times` (seconds, one per token).
    public func words(of ids: [Int], times: [Double]) -> [RecognizedWord] {
        var words: [RecognizedWord] = []
        var current = ""
        var currentStart = 0.0
        var lastTime = 0.0
        var open = false
        for (index, id) in ids.enumerated() {
            guard id != tokens.unknownID, var piece = tokens.piece(id) else { continue }
            let time = index < times.count ? times[index] : lastTime
            if piece.first == TokenTable.wordBoundary {
                piece.removeFirst()
                if open && !current.isEmpty {
                    words.append(RecognizedWord(text: current, start: currentStart, end: time))
                }
                current = ""
                currentStart = time
                open = true
            } else if !open {
                currentStart = time
                open = true
            }
            current += piece
            lastTime = time
        }
        if open && !current.isEmpty {
            words.append(RecognizedWord(text: current, start: currentStart, end: lastTime + frameDuration))
        }
        return words
    }
}
