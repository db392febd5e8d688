import Foundation

/// One WebSocket message from a client of sherpa-onnx's online protocol, decoded.
public enum ClientMessage: Equatable, Sendable {
    /// Audio: the binary message's little-endian float32 samples, mono, in [-1, 1].
    case samples([Float])
    /// The text `{"sample_rate": N}`, before any audio: the client's samples are at N Hz (16 kHz
    /// without it). sherpa-onnx's clients never send it; its server takes the rate as an option.
    case configuration(sampleRate: Int)
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
              let object = try? JSONDecoder().decode([String: Double].self, from: Data(bytes)) else {
            throw ClientMessageError(.unacceptableData, "a text message must be \"Done\" or a JSON configuration")
        }
        guard object.count == 1, let value = object["sample_rate"] else {
            throw ClientMessageError(.unacceptableData, "the JSON configuration must have exactly one key, \"sample_rate\"")
        }
        guard let rate = Int(exactly: value), Self.sampleRates.contains(rate) else {
            throw ClientMessageError(.unacceptableData, "sample_rate must be a whole number of Hz in \(Self.sampleRates)")
        }
        self = .configuration(sampleRate: rate)
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
