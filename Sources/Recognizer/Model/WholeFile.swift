import Foundation

/// A whole file's bytes, read through `FileHandle`: Foundation's whole-file readers
/// (`FileManager.contents(atPath:)`, `Data(contentsOf:)`) leak a page on an empty file.
enum WholeFile {
    /// The file's bytes, nil when it cannot be opened or read.
    static func data(atPath path: String) -> Data? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return try? handle.readToEnd() ?? Data()
    }
}
