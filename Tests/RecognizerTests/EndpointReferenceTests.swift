import AudioIO
import Foundation
import ModelRuntime
import Recognizer
import Testing
import TestSupport

/// Endpointing on a long input (seven utterances joined by 2 s of silence, fed in 0.1 s pieces),
/// the stream reset at each endpoint: every segment's tokens equal sherpa-onnx's, greedy and beam
/// (tools/make-endpoint-reference.py). Beam search restarts each segment as sherpa-onnx's Reset
/// does (a fresh start path beside the carried ones), which the "AND" segments in the silences show.
@Suite(.enabled(if: Fixtures.modelDirectory != nil && Fixtures.evaluationRoot != nil, "model or eval sets not found"))
struct EndpointReferenceTests {
    struct Reference: Decodable {
        struct Segment: Decodable { let text: String; let tokens: [Int] }
        let arithmetic: String
        let files: [String]
        let gapSeconds: Double
        let pieceSeconds: Double
        let greedy: [Segment]
        let beam: [Segment]

        enum CodingKeys: String, CodingKey {
            case arithmetic, files, greedy, beam
            case gapSeconds = "gap_seconds", pieceSeconds = "piece_seconds"
        }
    }

    @Test(arguments: ["greedy", "beam"])
    func segmentsEqualSherpaOnnx(method: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("RecognizerTests", "endpoint-reference.json")))
        let reference = try JSONDecoder().decode(Reference.self, from: data)
        var samples: [Float] = []
        for (index, file) in reference.files.enumerated() {
            if index > 0 { samples += [Float](repeating: 0, count: Int(reference.gapSeconds * 16000)) }
            let path = URL(fileURLWithPath: Fixtures.evaluationRoot!).appendingPathComponent(file).path
            samples += try AudioFileReader(path: path, targetSampleRate: 16000).readAll()
        }
        // sherpa-onnx's features: no dither (its beam search then finds `AND` segments in the pauses).
        var configuration = RecognizerConfiguration(decoding: method == "greedy" ? .greedy : .modifiedBeam(paths: 4), dither: 0,
                                                    compileOptions: .init(arithmetic: try #require(ReferenceArithmetic(name: reference.arithmetic))))
        configuration.endpoint.isEnabled = true
        let stream = try Recognizer(modelDirectory: Fixtures.modelDirectory!, configuration: configuration).makeStream()
        var segments: [[Int]] = []
        func takeEndpoints() throws {
            while stream.isEndpoint {
                segments.append(stream.partialResult.tokens)
                stream.reset()
                try stream.decode()
            }
        }
        let piece = Int(reference.pieceSeconds * 16000)
        for start in stride(from: 0, to: samples.count, by: piece) {
            try stream.accept(Array(samples[start..<min(start + piece, samples.count)]))
            try takeEndpoints()
        }
        try stream.inputFinished()
        try takeEndpoints()
        segments.append(stream.partialResult.tokens)
        let expected = (method == "greedy" ? reference.greedy : reference.beam).map(\.tokens)
        #expect(segments.count == expected.count)
        for (index, (ours, theirs)) in zip(segments, expected).enumerated() {
            #expect(ours == theirs, "segment \(index)")
        }
    }
}
