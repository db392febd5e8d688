import ArgumentParser

struct ListenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "listen", abstract: "Not built yet.")

    func run() throws {
        printError("'listen' is not built yet")
        throw ExitCode.failure
    }
}
