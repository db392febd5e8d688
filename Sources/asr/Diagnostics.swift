import ArgumentParser
import Foundation

/// Writes one line to standard error, the channel for every diagnostic of the tool.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("asr: " + message + "\n").utf8))
}

/// Fails with one line unless every report path can be written: checked before the work whose
/// results they will hold, so that a typo does not cost a whole evaluation. The check opens the
/// file for appending and leaves it as it was (a file it had to create is removed again).
func checkReportPaths(_ paths: String?...) throws {
    for path in paths.compactMap({ $0 }) {
        let existed = FileManager.default.fileExists(atPath: path)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        guard descriptor >= 0 else {
            printError("\(path): cannot write report")
            throw ExitCode.failure
        }
        close(descriptor)
        if !existed { unlink(path) }
    }
}

/// Writes a report to its file. A path that is the standard output itself (`/dev/stdout`, or the
/// file standard output is redirected to) gets the report after the text printed there; writing
/// it as a file would truncate that file under the text.
func writeReport(_ data: Data, to path: String) throws {
    do {
        if isStandardOutput(path) {
            fflush(stdout)
            try FileHandle.standardOutput.write(contentsOf: data)
        } else {
            try data.write(to: URL(fileURLWithPath: path))
        }
    } catch {
        printError("\(path): cannot write report")
        throw ExitCode.failure
    }
}

private func isStandardOutput(_ path: String) -> Bool {
    var file = stat(), output = stat()
    guard stat(path, &file) == 0, fstat(STDOUT_FILENO, &output) == 0 else { return false }
    return file.st_dev == output.st_dev && file.st_ino == output.st_ino
}
