import Foundation

/// Writes one line to standard error, the channel for every diagnostic of the tool.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("asr: " + message + "\n").utf8))
}
