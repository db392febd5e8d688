import Foundation
import Recognizer
import Testing
import TestSupport

@Suite struct ModelFilesTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("asr-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func touch(_ names: String...) throws {
        for name in names { try Data("x".utf8).write(to: directory.appendingPathComponent(name)) }
    }

    func failure(_ path: String) -> String {
        do {
            _ = try ModelFiles(directory: path)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    @Test func resolutionOrder() {
        #expect(ModelFiles.resolveDirectory(explicit: "a", environment: ["ASR_MODEL": "b"]) == "a")
        #expect(ModelFiles.resolveDirectory(explicit: nil, environment: ["ASR_MODEL": "b"]) == "b")
        #expect(ModelFiles.resolveDirectory(explicit: nil, environment: [:]) == "models/default")
    }

    @Test func picksInt8EncoderAndJoinerAndFullDecoder() throws {
        try touch("encoder-epoch-99.onnx", "encoder-epoch-99.int8.onnx", "decoder-epoch-99.onnx",
                  "decoder-epoch-99.int8.onnx", "joiner-epoch-99.onnx", "joiner-epoch-99.int8.onnx", "tokens.txt")
        let files = try ModelFiles(directory: directory.path)
        #expect(files.encoder.hasSuffix("encoder-epoch-99.int8.onnx"))
        #expect(files.decoder.hasSuffix("decoder-epoch-99.onnx"))
        #expect(files.joiner.hasSuffix("joiner-epoch-99.int8.onnx"))
    }

    @Test func missingDirectory() {
        let message = failure(directory.appendingPathComponent("nope").path)
        #expect(message.contains("nope: model directory does not exist"))
    }

    @Test func fileInsteadOfDirectory() throws {
        try touch("tokens.txt")
        #expect(failure(directory.appendingPathComponent("tokens.txt").path).contains("not a directory"))
    }

    @Test func incompleteDirectoryNamesWhatIsMissing() throws {
        try touch("encoder.onnx", "decoder.onnx")
        let message = failure(directory.path)
        #expect(message.hasPrefix(directory.path + ": incomplete model"))
        #expect(message.contains("joiner*.onnx"))
        #expect(message.contains("tokens.txt"))
        #expect(!message.contains("encoder*.onnx"))
    }

    @Test func twoModelsInOneDirectory() throws {
        try touch("encoder-a.int8.onnx", "encoder-b.int8.onnx", "decoder.onnx", "joiner.onnx", "tokens.txt")
        let message = failure(directory.path)
        #expect(message.contains("mixes models"))
        #expect(message.contains("encoder-a.int8.onnx"))
    }

    @Test(.enabled(if: Fixtures.modelDirectory != nil, "model directory not found")) func sharedModelIsComplete() throws {
        let model = Fixtures.modelDirectory!
        let files = try ModelFiles(directory: model)
        #expect(files.encoder.hasSuffix("encoder.int8.onnx"))
        #expect(files.decoder.hasSuffix("decoder.onnx"))
        #expect(files.joiner.hasSuffix("joiner.int8.onnx"))
    }
}
