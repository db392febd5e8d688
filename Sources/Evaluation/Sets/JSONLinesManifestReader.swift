import Foundation

/// Reads a JSON-lines manifest (NeMo style): one object per line with `audio_filepath` (relative to
/// the manifest's directory unless absolute), `text`, and an optional `duration` that is not needed.
/// The id of an utterance is its `audio_filepath` as written.
public struct JSONLinesManifestReader {
    public var path: String

    public init(path: String) {
        self.path = path
    }

    public func read() throws -> TestSet {
        let lines = try NumberedLines(path: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var builder = TestSetBuilder()
        for (number, line) in lines.lines {
            let location = lines.location(number)
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            } catch {
                builder.report(.malformedLine(reason: "broken JSON line"), at: location)
                continue
            }
            guard let entry = object as? [String: Any] else {
                builder.report(.malformedLine(reason: "line is not a JSON object"), at: location)
                continue
            }
            guard let audio = entry["audio_filepath"] as? String, !audio.isEmpty else {
                builder.report(.malformedLine(reason: "no \"audio_filepath\" string"), at: location)
                continue
            }
            guard let text = entry["text"] as? String else {
                builder.report(.malformedLine(reason: "no \"text\" string for '\(audio)'"), at: location)
                continue
            }
            builder.add(EvaluationUtterance(id: audio, audioPath: resolve(audio, against: directory), reference: text, source: location))
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return builder.build(name: name, path: path, layout: .jsonLinesManifest)
    }
}
