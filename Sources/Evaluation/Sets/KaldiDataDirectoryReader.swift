import Foundation

/// Reads a Kaldi data directory: `wav.scp` lines `id path` (plain paths, relative to the directory)
/// and `text` lines `id WORDS...`. Utterances come in `text` order.
public struct KaldiDataDirectoryReader {
    public var directory: String

    public init(directory: String) {
        self.directory = directory
    }

    var wavScpPath: String { URL(fileURLWithPath: directory).appendingPathComponent("wav.scp").path }
    var textPath: String { URL(fileURLWithPath: directory).appendingPathComponent("text").path }

    public func read() throws -> TestSet {
        let wavScp = try NumberedLines(path: wavScpPath)
        let text = try NumberedLines(path: textPath)
        var builder = TestSetBuilder()

        var audio: [String: (path: String, location: SourceLocation)] = [:]
        var audioOrder: [String] = []
        for (number, line) in wavScp.lines {
            let location = wavScp.location(number)
            let (id, rest) = NumberedLines.splitKey(line)
            if rest.isEmpty {
                builder.report(.malformedLine(reason: "wav.scp entry '\(id)' has no audio path"), at: location)
            } else if rest.hasSuffix("|") || rest.contains(" ") {
                builder.report(.malformedLine(reason: "wav.scp entry '\(id)' is not a plain path (commands and offsets are not supported)"), at: location)
            } else if let first = audio[id] {
                builder.report(.duplicateID(id: id, first: first.location), at: location)
            } else {
                audio[id] = (resolve(rest, against: directory), location)
                audioOrder.append(id)
            }
        }

        var transcribed: Set<String> = []
        for (number, line) in text.lines {
            let location = text.location(number)
            let (id, words) = NumberedLines.splitKey(line)
            // An id missing from wav.scp is reported once even if it repeats in text.
            guard let entry = audio[id] else {
                if !transcribed.contains(id) { builder.report(.transcriptWithoutAudio(id: id), at: location) }
                transcribed.insert(id)
                continue
            }
            transcribed.insert(id)
            builder.add(EvaluationUtterance(id: id, audioPath: entry.path, reference: words, source: location))
        }
        for id in audioOrder where !transcribed.contains(id) {
            if let entry = audio[id] { builder.report(.audioWithoutTranscript(id: id), at: entry.location) }
        }
        return builder.build(name: TestSet.name(of: directory), path: directory, layout: .kaldiDataDirectory)
    }
}
