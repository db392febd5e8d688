import ArgumentParser

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Not built yet.")

    func run() throws {
        printError("'bench' is not built yet")
        throw ExitCode.failure
    }
}
