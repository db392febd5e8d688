import ArgumentParser

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

    func validate() throws {
        guard beam >= 1 else { throw ValidationError("--beam must be at least 1") }
    }
}
