import Foundation
import Testing
import TestSupport

/// Zoo-shape model directories as users lay them out, and mixed-up ones: a mismatch is one line on
/// stderr naming the file and what does not match, and a non-zero exit.
@Suite(.enabled(if: Fixtures.zooShapesDirectory != nil && Fixtures.modelDirectory != nil, "zoo-shape graphs not found"))
struct ZooModelDirectoryTests {
    static func zoo(_ model: String) -> URL { URL(fileURLWithPath: Fixtures.zooShapesDirectory!).appendingPathComponent(model) }

    /// A directory of links to `files` (name in the directory: source path), removed afterwards.
    func withDirectory(_ files: [String: String], _ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-zoo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, source) in files {
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent(name).path, withDestinationPath: source)
        }
        try body(directory.path)
    }

    func transcribe(_ directory: String) throws -> CommandResult {
        try CommandRunner.run(["transcribe", "--model", directory, "--decoding", "greedy", Fixtures.audio("weather-16k.wav")])
    }

    @Test(arguments: Fixtures.zooShapeModels)
    func zooDirectoryTranscribes(model: String) throws {
        let result = try transcribe(Self.zoo(model).path)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    @Test func encoderOfAnotherModelIsNamed() throws {
        let zoo = Self.zoo("sherpa-onnx-streaming-zipformer-en-2023-06-26").path
        let small = Fixtures.modelDirectory!
        try withDirectory(["encoder.int8.onnx": "\(small)/encoder.int8.onnx",
                           "decoder-epoch-99-avg-1-chunk-16-left-128.onnx": "\(zoo)/decoder-epoch-99-avg-1-chunk-16-left-128.onnx",
                           "joiner-epoch-99-avg-1-chunk-16-left-128.int8.onnx": "\(zoo)/joiner-epoch-99-avg-1-chunk-16-left-128.int8.onnx",
                           "tokens.txt": "\(zoo)/tokens.txt"]) { directory in
            let result = try transcribe(directory)
            #expect(result.status != 0)
            let lines = result.standardError.split(separator: "\n")
            #expect(lines.count == 1, "\(result.standardError)")
            #expect(result.standardError.contains("joiner-epoch-99-avg-1-chunk-16-left-128.int8.onnx"))
            #expect(result.standardError.contains("encoder frames"))
        }
    }

    @Test func tokenTableOfTheWrongSizeIsNamed() throws {
        let zoo = Self.zoo("conformer-lite-streaming-en").path
        let tokens = try String(contentsOfFile: "\(zoo)/tokens.txt", encoding: .utf8).split(separator: "\n").dropLast()
        let shortTokens = FileManager.default.temporaryDirectory.appendingPathComponent("asr-tokens-\(UUID().uuidString).txt")
        try (tokens.joined(separator: "\n") + "\n").write(to: shortTokens, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: shortTokens) }
        var files: [String: String] = ["tokens.txt": shortTokens.path]
        for name in ["encoder-epoch-99-avg-1.int8.onnx", "decoder-epoch-99-avg-1.onnx", "joiner-epoch-99-avg-1.int8.onnx"] {
            files[name] = "\(zoo)/\(name)"
        }
        try withDirectory(files) { directory in
            let result = try transcribe(directory)
            #expect(result.status != 0)
            #expect(result.standardError.split(separator: "\n").count == 1, "\(result.standardError)")
            #expect(result.standardError.contains("the token list has 499 entries, the joiner outputs 500 logits"))
        }
    }
}
