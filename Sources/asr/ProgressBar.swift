import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (never into logs or pipes).
final class ProgressBar {
    private let total: Int
    private let label: String
    private let enabled: Bool
    private var lastDrawn = -1

    init(total: Int, label: String) {
        self.total = total
        self.label = label
        enabled = isatty(2) == 1 && total > 0
    }

    func update(_ done: Int) {
        guard enabled else { return }
        let width = 30
        let filled = total > 0 ? width * done / total : width
        guard filled != lastDrawn || done == total else { return }
        lastDrawn = filled
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) \(label)".utf8))
    }

    /// Erases the bar so the next stderr line starts clean.
    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
