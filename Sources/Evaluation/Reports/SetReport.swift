/// Totals of one set (or of all sets): word and character errors, skipped entries, time.
public struct SetReport: Sendable {
    public var name: String
    /// Utterances decoded and scored.
    public var utterances: Int
    /// Entries left out: set problems plus audio that failed to decode.
    public var skipped: Int
    public var words: ErrorCounts
    public var characters: ErrorCounts
    public var audioSeconds: Double
    public var cpuSeconds: Double
    /// U-WER and B-WER counts, when the utterances had biasing lists.
    public var biasedWords: BiasedWordCounts?

    public init(name: String, scores: [UtteranceScore], skipped: Int) {
        self.name = name
        utterances = scores.count
        self.skipped = skipped
        words = scores.reduce(ErrorCounts()) { $0 + $1.wordCounts }
        characters = scores.reduce(ErrorCounts()) { $0 + $1.characterCounts }
        audioSeconds = scores.reduce(0) { $0 + $1.audioSeconds }
        cpuSeconds = scores.reduce(0) { $0 + $1.cpuSeconds }
        biasedWords = Self.sum(scores.map(\.biasedCounts))
    }

    private static func sum(_ counts: [BiasedWordCounts?]) -> BiasedWordCounts? {
        let present = counts.compactMap { $0 }
        return present.isEmpty ? nil : present.reduce(BiasedWordCounts(), +)
    }

    /// The `ALL` line: sums of the per-set reports.
    public init(total reports: [SetReport], name: String = "ALL") {
        self.name = name
        utterances = reports.reduce(0) { $0 + $1.utterances }
        skipped = reports.reduce(0) { $0 + $1.skipped }
        words = reports.reduce(ErrorCounts()) { $0 + $1.words }
        characters = reports.reduce(ErrorCounts()) { $0 + $1.characters }
        audioSeconds = reports.reduce(0) { $0 + $1.audioSeconds }
        cpuSeconds = reports.reduce(0) { $0 + $1.cpuSeconds }
        biasedWords = Self.sum(reports.map(\.biasedWords))
    }

    /// CPU time per second of audio.
    public var realTimeFactor: Double { audioSeconds > 0 ? cpuSeconds / audioSeconds : 0 }
}
