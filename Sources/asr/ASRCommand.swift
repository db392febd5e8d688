import ArgumentParser

@main
struct ASRCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "asr",
        abstract: "On-device streaming speech recognition.",
        subcommands: [
            TranscribeCommand.self, ListenCommand.self, ServeCommand.self, EvalCommand.self, BenchCommand.self, FeaturesCommand.self,
        ]
    )
}
