import ArgumentParser
import Foundation

/// Writes one line to standard error, the channel for every diagnostic of the tool.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("asr: " + message + "\n").utf8))
}

/// Fails with one line unless every report path can be written: checked before the work whose
/// results they will hold, so that a typo does not cost a whole evaluation.
func checkReportPaths(_ paths: String?...) throws {
    for path in paths.compactMap({ $0 }) where !FileManager.default.createFile(atPath: path, contents: nil) {
        printError("\(path): cannot write report")
        throw ExitCode.failure
    }
}
