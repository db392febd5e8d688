import Foundation

/// The lines of a UTF-8 text file with their 1-based numbers; blank lines are dropped, `\r` is trimmed.
struct NumberedLines {
    var path: String
    var lines: [(number: Int, text: String)]

    init(path: String) throws {
        self.path = path
        // Through FileHandle: Foundation's whole-file readers leak a 4 KiB buffer on an empty file
        // (found by tools/fuzz test-sets).
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TestSetError(path: path, reason: "cannot read file")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw TestSetError(path: path, reason: "cannot read file")
        }
        guard let content = String(data: data, encoding: .utf8) else {
            throw TestSetError(path: path, reason: "not UTF-8 text")
        }
        var lines: [(Int, String)] = []
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        let rawLines = content.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, raw) in rawLines.enumerated() {
            let text = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if !text.allSatisfy(\.isWhitespace) { lines.append((index + 1, text)) }
        }
        self.lines = lines
    }

    func location(_ number: Int) -> SourceLocation { SourceLocation(file: path, line: number) }

    /// Splits a line into its first whitespace-separated field and the rest (trimmed).
    static func splitKey(_ text: String) -> (key: String, rest: String) {
        let trimmed = text.drop(while: \.isWhitespace)
        guard let end = trimmed.firstIndex(where: \.isWhitespace) else { return (String(trimmed), "") }
        let rest = trimmed[end...].trimmingCharacters(in: .whitespaces)
        return (String(trimmed[..<end]), rest)
    }
}
