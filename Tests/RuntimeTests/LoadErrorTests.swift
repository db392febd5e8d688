import Foundation
import ModelRuntime
import Testing
import TestSupport

/// Bad files fail at load with one error naming the file and the cause.
@Suite struct LoadErrorTests {
    static let model = Fixtures.modelDirectory

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asr-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func loadError(_ path: String) -> ModelLoadError? {
        do {
            _ = try CompiledGraph(path: path)
            return nil
        } catch let error as ModelLoadError {
            return error
        } catch {
            return nil
        }
    }

    @Test func missingFile() {
        let error = loadError("/nonexistent/encoder.onnx")
        #expect(error?.cause == .missingFile)
        #expect(error?.description == "/nonexistent/encoder.onnx: file not found")
    }

    @Test func randomBytesAreNotONNX() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("joiner.onnx").path
        var generator = SystemRandomNumberGenerator()
        try Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }).write(to: URL(fileURLWithPath: path))
        let error = try #require(loadError(path))
        guard case .notONNX = error.cause else { Issue.record("unexpected \(error)"); return }
        #expect(error.description.hasPrefix("\(path): not an ONNX model"))
    }

    @Test func textFileIsNotONNX() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("decoder.onnx").path
        try "<blk> 0\n<sos/eos> 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(loadError(path))
        guard case .notONNX = error.cause else { Issue.record("unexpected \(error)"); return }
    }

    @Test(.enabled(if: model != nil, "model directory not found"))
    func truncatedModel() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try Data(contentsOf: URL(fileURLWithPath: "\(Self.model!)/encoder.int8.onnx"))
        let path = directory.appendingPathComponent("encoder.int8.onnx").path
        try original.prefix(original.count / 2).write(to: URL(fileURLWithPath: path))
        let error = try #require(loadError(path))
        guard case .notONNX = error.cause else { Issue.record("unexpected \(error)"); return }
        #expect(error.description.hasPrefix(path))
    }

    @Test func unsupportedOperatorIsNamed() throws {
        let path = Fixtures.data("RuntimeTests", "unknown-operator.onnx")
        let error = try #require(loadError(path))
        #expect(error.cause == .unsupportedOperators(["FancyActivation"]))
        #expect(error.description == "\(path): unsupported operator FancyActivation")
    }

    @Test func unsupportedOpset() throws {
        let path = Fixtures.data("RuntimeTests", "future-opset.onnx")
        let error = try #require(loadError(path))
        #expect(error.cause == .unsupportedOpset(domain: "", version: 99))
        #expect(error.description.hasPrefix("\(path): unsupported opset ai.onnx version 99"))
    }

    @Test func nodesOutOfOrderAreSorted() throws {
        // Stored last to first; onnxruntime runs it too (tools/make-bad-models.py).
        let graph = try CompiledGraph(path: Fixtures.data("RuntimeTests", "unsorted-nodes.onnx"))
        let x: [Float] = [0.1, -0.5, 1, 2]
        graph.setInput("x", x)
        graph.run()
        let y = graph.floats("y")
        #expect(y.count == 4)
        for (value, input) in zip(y, x) { #expect(abs(value - 2 * tanh(2 * input)) < 1e-6) }
    }

    @Test func cycleIsNamed() throws {
        let path = Fixtures.data("RuntimeTests", "node-cycle.onnx")
        let error = try #require(loadError(path))
        #expect(error.description == "\(path): invalid graph: the graph has a cycle")
    }

    @Test func undefinedValueIsNamed() throws {
        let path = Fixtures.data("RuntimeTests", "undefined-value.onnx")
        let error = try #require(loadError(path))
        #expect(error.description.hasPrefix("\(path): invalid graph: ") && error.description.contains("'ghost'"))
    }

    @Test func descriptionsAreOneLine() {
        let causes: [ModelLoadError.Cause] = [.missingFile, .unreadable("x"), .notONNX("x"), .unsupportedOpset(domain: "", version: 1),
                                              .unsupportedOperators(["A", "B"]), .invalidGraph("x"), .mismatch("x")]
        for cause in causes {
            let text = ModelLoadError(path: "/m/joiner.onnx", cause: cause).description
            #expect(text.hasPrefix("/m/joiner.onnx: ") && !text.contains("\n"))
        }
    }
}
