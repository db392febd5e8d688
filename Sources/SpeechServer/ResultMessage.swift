import Foundation
import Recognizer

/// A result as sherpa-onnx's online server sends it (`OnlineRecognizerResult::AsJsonString`):
/// `text`, `tokens` (the pieces), `timestamps`, `segment`, `words`, `start_time`, `is_final` and
/// `is_eof`, plus `samples_received`, the count of client samples the result has seen, from which
/// a client can tell which of its messages a result covers. Times are seconds of stream time.
/// sherpa-onnx's `ys_probs`, `lm_probs` and `context_scores` are left out: the search keeps no such
/// per-token scores. `words` are objects with `word`, `start` and `end` (sherpa-onnx sends word ids
/// there, empty for transducers).
public struct ResultMessage: Equatable, Sendable {
    public var result: RecognitionResult
    public var isFinal: Bool
    public var isEndOfStream: Bool
    public var samplesReceived: Int

    public init(result: RecognitionResult, isFinal: Bool, isEndOfStream: Bool, samplesReceived: Int) {
        self.result = result
        self.isFinal = isFinal
        self.isEndOfStream = isEndOfStream
        self.samplesReceived = samplesReceived
    }

    /// The text frame's contents; token ids are spelled with `tokens`.
    public func json(tokens: TokenTable) -> String {
        var json = "{\"text\":\(Self.quoted(result.text))"
        json += ",\"tokens\":[" + result.tokens.map { Self.quoted(tokens.piece($0) ?? "") }.joined(separator: ",") + "]"
        json += ",\"timestamps\":[" + result.tokenTimes.map(Self.seconds).joined(separator: ",") + "]"
        json += ",\"segment\":\(result.segment)"
        json += ",\"words\":[" + result.words.map {
            "{\"word\":\(Self.quoted($0.text)),\"start\":\(Self.seconds($0.start)),\"end\":\(Self.seconds($0.end))}"
        }.joined(separator: ",") + "]"
        json += ",\"start_time\":\(Self.seconds(result.segmentStart))"
        json += ",\"is_final\":\(isFinal),\"is_eof\":\(isEndOfStream),\"samples_received\":\(samplesReceived)}"
        return json
    }

    /// Two decimals, as sherpa-onnx prints times.
    private static func seconds(_ value: Double) -> String {
        String(format: "%.2f", value)
    }

    private static func quoted(_ text: String) -> String {
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            case _ where scalar.value < 0x20: quoted += String(format: "\\u%04x", scalar.value)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
