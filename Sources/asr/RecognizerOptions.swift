import ArgumentParser
import Recognizer

/// Model and search options shared by the commands that decode.
struct RecognizerOptions: ParsableArguments {
    enum Decoding: String, ExpressibleByArgument, CaseIterable {
        case greedy, beam
    }

    @Option(help: "Model directory (default: $ASR_MODEL, then models/default).")
    var model: String?

    @Option(help: "Search: greedy or beam (modified beam search).")
    var decoding: Decoding = .beam

    @Option(help: "Active paths of the beam search.")
    var beam: Int = 4

    @Option(name: .customLong("hotwords"), help: ArgumentHelp("Phrases to prefer, one per line, each optionally followed by ' :score' (sherpa-onnx's hotwords file). Needs --decoding beam.", valueName: "file"))
    var hotwordsPath: String?

    @Option(name: .customLong("hotwords-score"), help: "Bonus per token of a hotword without its own score.")
    var hotwordsScore: Float = 1.5

    @Flag(name: .customLong("hotwords-after-pruning"), help: ArgumentHelp("Add hotword bonuses after the beam has chosen its candidates, as sherpa-onnx does, instead of letting them take part in the choice.", visibility: .hidden))
    var hotwordsAfterPruning = false

    @Option(name: .customLong("lm"), help: ArgumentHelp("A word n-gram language model (ARPA) fused into beam search. Needs --decoding beam.", valueName: "file.arpa"))
    var languageModelPath: String?

    @Option(name: .customLong("lm-scale"), help: "Weight of the language model's log-probabilities.")
    var languageModelScale: Float = RecognizerConfiguration().languageModelScale

    @Option(name: .customLong("lm-word-bonus"), help: "Added per word begun while the language model is fused (offsets its cost of a word).")
    var languageModelWordBonus: Float = RecognizerConfiguration().languageModelWordBonus

    @Option(help: "Noise added to the samples of each feature frame (Kaldi's dither: its standard deviation, full scale = 1). The default, one 16-bit step, keeps digital silence from becoming words; 0 gives sherpa-onnx's features and transcripts bit for bit.")
    var dither: Float = RecognizerConfiguration().dither

    @Flag(name: .customLong("quantize-fp32"), help: "Quantize an fp32 encoder's and joiner's linear layers to int8 at load: faster, slightly less accurate (off by default: a model runs with its own arithmetic).")
    var quantizeFp32 = false

    func validate() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1") }
        guard hotwordsScore.isFinite else { throw ValidationError("--hotwords-score must be a number") }
        if hotwordsPath != nil && decoding == .greedy { throw ValidationError("--hotwords needs --decoding beam") }
        if languageModelPath != nil && decoding == .greedy { throw ValidationError("--lm needs --decoding beam") }
        guard languageModelScale.isFinite else { throw ValidationError("--lm-scale must be a number") }
        guard dither >= 0, dither.isFinite else { throw ValidationError("--dither must be a non-negative number") }
    }

    /// The search the options ask for, other settings at their defaults; reads the hotwords file.
    func configuration() throws -> RecognizerConfiguration {
        var configuration = RecognizerConfiguration()
        configuration.hotwords = try hotwordsPath.map(Hotword.list(contentsOfFile:)) ?? []
        configuration.hotwordsScore = hotwordsScore
        configuration.hotwordScoring = hotwordsAfterPruning ? .afterPruning : .beforePruning
        configuration.dither = dither
        configuration.languageModelPath = languageModelPath
        configuration.languageModelScale = languageModelScale
        configuration.languageModelWordBonus = languageModelWordBonus
        configuration.decoding = decoding == .greedy ? .greedy : .modifiedBeam(paths: beam)
        configuration.compileOptions.quantizesFloatLinears = quantizeFp32
        return configuration
    }

    /// `--model`, else `$ASR_MODEL`, else `models/default`.
    var modelDirectory: String { ModelFiles.resolveDirectory(explicit: model) }

    /// Loads the model with the configured search.
    func makeRecognizer(configuration: RecognizerConfiguration? = nil) throws -> Recognizer {
        try Recognizer(modelDirectory: modelDirectory, configuration: configuration ?? self.configuration())
    }
}
