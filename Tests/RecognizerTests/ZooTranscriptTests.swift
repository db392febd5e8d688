import Foundation
import ModelRuntime
import Recognizer
import Testing
import TestSupport

/// The zoo-shape models end to end (file reading, features, encoder with its state layout, search):
/// token sequences equal sherpa-onnx's, greedy and beam, on every utterance of librispeech-mini and
/// mixed-14. The reference is tools/make-zoo-reference-transcripts.py; the runtime reproduces the
/// onnxruntime CPU profile it was made with.
@Suite(.enabled(if: Fixtures.zooShapesDirectory != nil && Fixtures.evaluationRoot != nil, "zoo-shape graphs or eval sets not found"))
struct ZooTranscriptTests {
    struct Reference: Decodable {
        let arithmetic: String
        let models: [String: [String: Utterance]]
    }

    struct Utterance: Decodable {
        let path: String
        let greedy: Decoded
        let beam: Decoded
    }

    struct Decoded: Decodable {
        let tokens: [Int]
        let text: String
    }

    static func reference() throws -> Reference {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("RecognizerTests", "zoo-reference-transcripts.json")))
        return try JSONDecoder().decode(Reference.self, from: data)
    }

    @Test(arguments: Fixtures.zooShapeModels, ["greedy", "beam"])
    func tokensEqualSherpaOnnx(model: String, method: String) throws {
        let reference = try Self.reference()
        let arithmetic = try #require(ReferenceArithmetic(name: reference.arithmetic))
        let utterances = try #require(reference.models[model])
        #expect(utterances.count == 20)
        // sherpa-onnx's features: no dither.
        let configuration = RecognizerConfiguration(decoding: method == "greedy" ? .greedy : .modifiedBeam(paths: 4), dither: 0,
                                                    compileOptions: .init(arithmetic: arithmetic))
        let directory = URL(fileURLWithPath: Fixtures.zooShapesDirectory!).appendingPathComponent(model).path
        let recognizer = try Recognizer(modelDirectory: directory, configuration: configuration)
        var differing: [String] = []
        for (name, utterance) in utterances.sorted(by: { $0.key < $1.key }) {
            let expected = method == "greedy" ? utterance.greedy : utterance.beam
            let path = URL(fileURLWithPath: Fixtures.evaluationRoot!).appendingPathComponent(utterance.path).path
            let result = try recognizer.transcribe(path: path)
            if result.tokens != expected.tokens {
                let first = zip(result.tokens, expected.tokens).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                    ?? min(result.tokens.count, expected.tokens.count)
                differing.append("\(name) (token \(first) of \(expected.tokens.count))")
            }
        }
        #expect(differing.isEmpty, "\(model) \(method): \(differing.count) of \(utterances.count) differ: \(differing.prefix(5))")
    }
}
