import ArgumentParser

struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "features", abstract: "Not built yet.")

    func run() throws {
        printError("'features' is not built yet")
        throw ExitCode.failure
    }
}
