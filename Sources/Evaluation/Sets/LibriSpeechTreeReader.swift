import Foundation

/// Reads a LibriSpeech tree: every `*.trans.txt` below the root, lines `id WORDS...`, with `id.flac`
/// (or `id.wav`) in the same directory. Utterances come in path order of the transcript files.
public struct LibriSpeechTreeReader {
    public var root: String

    public init(root: String) {
        self.root = root
    }

    func transcriptFiles() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix(".trans.txt") {
                files.append(URL(fileURLWithPath: root).appendingPathComponent(relative).path)
            }
        }
        return files.sorted()
    }

    public func read() throws -> TestSet {
        var builder = TestSetBuilder()
        for file in transcriptFiles() {
            let lines = try NumberedLines(path: file)
            let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
            for (number, line) in lines.lines {
                let (id, words) = NumberedLines.splitKey(line)
                let candidates = ["flac", "wav"].map { directory.appendingPathComponent(id + "." + $0).path }
                guard let audio = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                    builder.report(.transcriptWithoutAudio(id: id), at: lines.location(number))
                    continue
                }
                builder.add(EvaluationUtterance(id: id, audioPath: audio, reference: words, source: lines.location(number)))
            }
        }
        return builder.build(name: TestSet.name(of: root), path: root, layout: .libriSpeechTree)
    }
}
