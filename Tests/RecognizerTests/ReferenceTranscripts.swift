import Foundation
import TestSupport

/// `Fixtures/reference-transcripts.json`, written by `tools/make-reference-transcripts.py` from sherpa-onnx.
struct ReferenceTranscripts: Decodable {
    struct Result: Decodable {
        let text: String
        let tokens: [Int]
        /// Seconds since the segment start.
        let timestamps: [Double]
        let segment: Int
        let startTime: Double

        enum CodingKeys: String, CodingKey {
            case text, tokens, timestamps, segment
            case startTime = "start_time"
        }
    }

    struct File: Decodable {
        let sampleRate: Int
        let greedy: Result
        let beam4: Result
        let greedyEndpointSegments: [Result]

        enum CodingKeys: String, CodingKey {
            case greedy, beam4
            case sampleRate = "sample_rate"
            case greedyEndpointSegments = "greedy_endpoint_segments"
        }
    }

    let files: [String: File]

    static func load() throws -> ReferenceTranscripts {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.data("RecognizerTests", "reference-transcripts.json")))
        return try JSONDecoder().decode(ReferenceTranscripts.self, from: data)
    }
}
