import Foundation
import Testing
import TestSupport

@Suite struct CommandLineTests {
    @Test func helpListsEverySubcommand() throws {
        let result = try CommandRunner.run(["--help"])
        #expect(result.status == 0)
        for command in ["transcribe", "listen", "eval", "bench", "features"] {
            #expect(result.standardOutput.contains(command), "\(command) missing from help")
        }
    }
}
