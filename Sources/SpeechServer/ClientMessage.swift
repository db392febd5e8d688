import Foundation

/// One WebSocket message from a client of sherpa-onnx's online protocol, decoded.
public enum ClientMessage: Equatable, Sendable {
    /// Audio: the binary message's little-endian float32 samples, mono, in [-1, 1].
    case samples([Float])
    /// A JSON object before any audio, with `"sample_rate": N` (the client's samples are at N Hz,
    /// 16 kHz without it) and/or `"hotwords": "..."` (phrases for this stream, in addition to the
    /// server's, as the lines of a hotwords file). sherpa-onnx's clients never send it; its server
    /// takes the rate and hotwords as options.
    case configuration(sampleRate: Int?, hotwords: String?)
    /// The text `Done`: the client has sent all its audio.
    case done

    /// The sample rates a client may announce.
    public static let sampleRates = 8000...192_000

    /// Decodes a text message.
    public init(text bytes: some Collection<UInt8>) throws(ClientMessageError) {
        if bytes.elementsEqual("Done".utf8) {
            self = .done
            return
        }
        guard bytes.first == UInt8(ascii: "{"),
              let keys = try? JSONDecoder().decode([String: AnyValue].self, from: Data(bytes)).keys else {
            throw ClientMessageError(.unacceptableData, "a text message must be \"Done\" or a JSON configuration")
        }
        guard !keys.isEmpty, keys.allSatisfy(["sample_rate", "hotwords"].contains) else {
            throw ClientMessageError(.unacceptableData, "the JSON configuration takes \"sample_rate\" and \"hotwords\", nothing else")
        }
        guard let configuration = try? JSONDecoder().decode(Configuration.self, from: Data(bytes)),
              configuration.sampleRate != nil || configuration.hotwords != nil else {
            throw ClientMessageError(.unacceptableData, "sample_rate must be a number and hotwords a string")
        }
        var rate: Int?
        if let value = configuration.sampleRate {
            guard let whole = Int(exactly: value), Self.sampleRates.contains(whole) else {
                throw ClientMessageError(.unacceptableData, "sample_rate must be a whole number of Hz in \(Self.sampleRates)")
            }
            rate = whole
        }
        self = .configuration(sampleRate: rate, hotwords: configuration.hotwords)
    }

    private struct Configuration: Decodable {
        let sampleRate: Double?
        let hotwords: String?

        enum CodingKeys: String, CodingKey {
            case sampleRate = "sample_rate"
            case hotwords
        }
    }

    /// Any JSON value, unread: the configuration's keys are checked before its values.
    private struct AnyValue: Decodable {
        init(from decoder: Decoder) throws {}
    }

    /// Decodes a binary message.
    public init(binary bytes: UnsafeRawBufferPointer) throws(ClientMessageError) {
        guard bytes.count % 4 == 0 else {
            throw ClientMessageError(.dataInconsistentWithMessage,
                                     "a binary message of \(bytes.count) bytes is not whole float32 samples")
        }
        var samples = [Float](repeating: 0, count: bytes.count / 4)
        for index in samples.indices {
            let value = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
            guard value.isFinite else {
                throw ClientMessageError(.dataInconsistentWithMessage, "sample \(index) of a binary message is \(value), not a finite number")
            }
            samples[index] = value
        }
        self = .samples(samples)
    }
}

/// Why a client's message was refused: the WebSocket close code and the reason sent with it.
public struct ClientMessageError: Error, Equatable, CustomStringConvertible {
    /// WebSocket close codes (RFC 6455, 7.4.1) the server closes with.
    public enum CloseCode: UInt16, Sendable {
        case normalClosure = 1000
        case goingAway = 1001
        case protocolError = 1002
        case unacceptableData = 1003
        case dataInconsistentWithMessage = 1007
        case policyViolation = 1008
        case messageTooLarge = 1009
        case unexpectedServerError = 1011
        case tryAgainLater = 1013
    }

    public let code: CloseCode
    /// At most 123 bytes, so it fits a close frame.
    public let reason: String

    public init(_ code: CloseCode, _ reason: String) {
        self.code = code
        self.reason = String(decoding: reason.utf8.prefix(123), as: UTF8.self)
    }

    public var description: String { reason }
}
