import Foundation
import ModelRuntime

/// The parts of a sentencepiece `ModelProto` (`bpe.model`) that segmentation needs: the pieces with
/// their scores and types, the normalizer's rules and the whitespace flags.
public struct SentencePieceModel: Sendable {
    /// `ModelProto.SentencePiece.Type`.
    public enum PieceType: Int, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    public struct Piece: Sendable, Equatable {
        public var text: String
        public var score: Float
        public var type: PieceType

        public init(text: String, score: Float, type: PieceType) {
            self.text = text
            self.score = score
            self.type = type
        }
    }

    /// Pieces in id order.
    public var pieces: [Piece]
    /// `normalizer_spec.precompiled_charsmap`: a double-array trie and the strings it maps to.
    public var precompiledCharacterMap: [UInt8]
    public var addsDummyPrefix: Bool
    public var removesExtraWhitespace: Bool
    public var escapesWhitespace: Bool
    public var treatsWhitespaceAsSuffix: Bool
    public var hasByteFallback: Bool
    /// `trainer_spec.model_type`: 1 is unigram, the only kind segmented here.
    public var modelType: Int

    /// Reads a `.model` file.
    public init(path: String) throws {
        guard let data = WholeFile.data(atPath: path) else {
            throw SentencePieceModelError(path: path, cause: "cannot read file")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    /// Parses the protobuf bytes of a model; `path` only names the source in errors.
    public init(bytes: [UInt8], path: String) throws {
        do {
            self = try bytes.withUnsafeBytes { try Self(protobuf: $0) }
        } catch is ProtobufWireError {
            throw SentencePieceModelError(path: path, cause: "not a sentencepiece model (malformed protobuf)")
        }
        // sentencepiece refuses a model whose pieces are all control, unknown or byte pieces.
        guard pieces.contains(where: { [.normal, .userDefined, .unused].contains($0.type) }) else {
            throw SentencePieceModelError(path: path, cause: "no pieces")
        }
        guard modelType == 1 else {
            throw SentencePieceModelError(path: path, cause: "model type \(modelType) is not unigram")
        }
        if let empty = pieces.firstIndex(where: { $0.text.isEmpty }) {
            throw SentencePieceModelError(path: path, cause: "piece \(empty) is empty")
        }
        guard pieces.filter({ $0.type == .unknown }).count == 1 else {
            throw SentencePieceModelError(path: path, cause: "expected exactly one unknown piece")
        }
    }

    /// The fields of a `ModelProto` message, sentencepiece's defaults for those it lacks.
    private init(protobuf bytes: UnsafeRawBufferPointer) throws(ProtobufWireError) {
        pieces = []
        precompiledCharacterMap = []
        addsDummyPrefix = true
        removesExtraWhitespace = true
        escapesWhitespace = true
        treatsWhitespaceAsSuffix = false
        hasByteFallback = false
        modelType = 1
        var model = ProtobufWireReader(bytes)
        while let (field, value) = try model.next() {
            switch (field, value) {
            case (1, .bytes(let message)): pieces.append(try Self.piece(message))
            case (2, .bytes(let message)): try readTrainerSpec(message)
            case (3, .bytes(let message)): try readNormalizerSpec(message)
            default: continue
            }
        }
    }

    private static func piece(_ message: UnsafeRawBufferPointer) throws(ProtobufWireError) -> Piece {
        var piece = Piece(text: "", score: 0, type: .normal)
        var reader = ProtobufWireReader(message)
        while let (field, value) = try reader.next() {
            switch (field, value) {
            case (1, .bytes(let text)): piece.text = String(decoding: text, as: UTF8.self)
            case (2, .fixed32(let bits)): piece.score = Float(bitPattern: bits)
            case (3, .varint(let type)): piece.type = PieceType(rawValue: Int(truncatingIfNeeded: type)) ?? .normal
            default: continue
            }
        }
        return piece
    }

    private mutating func readTrainerSpec(_ message: UnsafeRawBufferPointer) throws(ProtobufWireError) {
        var reader = ProtobufWireReader(message)
        while let (field, value) = try reader.next() {
            switch (field, value) {
            case (3, .varint(let type)): modelType = Int(truncatingIfNeeded: type)
            case (24, .varint(let flag)): treatsWhitespaceAsSuffix = flag != 0
            case (35, .varint(let flag)): hasByteFallback = flag != 0
            default: continue
            }
        }
    }

    private mutating func readNormalizerSpec(_ message: UnsafeRawBufferPointer) throws(ProtobufWireError) {
        var reader = ProtobufWireReader(message)
        while let (field, value) = try reader.next() {
            switch (field, value) {
            case (2, .bytes(let map)): precompiledCharacterMap = Array(map)
            case (3, .varint(let flag)): addsDummyPrefix = flag != 0
            case (4, .varint(let flag)): removesExtraWhitespace = flag != 0
            case (5, .varint(let flag)): escapesWhitespace = flag != 0
            default: continue
            }
        }
    }
}

/// A sentencepiece model that cannot be read.
public struct SentencePieceModelError: Error, CustomStringConvertible {
    public let path: String
    public let cause: String
    public var description: String { "\(path): \(cause)" }
}
