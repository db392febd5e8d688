import ArgumentParser

struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "eval", abstract: "Not built yet.")

    func run() throws {
        printError("'eval' is not built yet")
        throw ExitCode.failure
    }
}
