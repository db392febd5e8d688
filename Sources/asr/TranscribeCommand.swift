import ArgumentParser

struct TranscribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "transcribe", abstract: "Not built yet.")

    func run() throws {
        printError("'transcribe' is not built yet")
        throw ExitCode.failure
    }
}
