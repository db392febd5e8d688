import Foundation

/// The files of a streaming transducer model directory, as exported by the sherpa-onnx model zoo:
/// `encoder*.onnx`, `decoder*.onnx`, `joiner*.onnx` and `tokens.txt`, and `bpe.model` if present.
public struct ModelFiles: Sendable, Equatable {
    public let directory: String
    public let encoder: String
    public let decoder: String
    public let joiner: String
    public let tokens: String
    /// The sentencepiece model hotwords are split with, if the directory has one.
    public let sentencePieceModel: String?

    /// The directory used when none is given: `--model`, then `$ASR_MODEL`, then `models/default`.
    public static func resolveDirectory(explicit: String?,
                                        environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["ASR_MODEL"], !fromEnvironment.isEmpty { return fromEnvironment }
        return "models/default"
    }

    /// Finds the graphs and the token table in `directory`.
    ///
    /// Where a role has several candidates, the int8 encoder and joiner are preferred (the product
    /// runs quantized) and the fp32 decoder (it is tiny and runs once per emitted token). Two
    /// candidates of the same precision mean two models share the directory, which is an error.
    public init(directory: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw ModelFilesError(directory: directory, cause: "model directory does not exist")
        }
        guard isDirectory.boolValue else {
            throw ModelFilesError(directory: directory, cause: "not a directory")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        } catch {
            throw ModelFilesError(directory: directory, cause: "cannot list directory")
        }
        let url = URL(fileURLWithPath: directory)
        func path(_ name: String) -> String { url.appendingPathComponent(name).path }

        var missing: [String] = []
        func pick(_ role: String, preferInt8: Bool) throws -> String? {
            let candidates = names.filter { $0.hasPrefix(role) && $0.hasSuffix(".onnx") }
            if candidates.isEmpty { missing.append("\(role)*.onnx"); return nil }
            let int8 = candidates.filter { $0.hasSuffix(".int8.onnx") }
            let full = candidates.filter { !$0.hasSuffix(".int8.onnx") }
            let preferred = preferInt8 ? (int8.isEmpty ? full : int8) : (full.isEmpty ? int8 : full)
            guard preferred.count == 1 else {
                throw ModelFilesError(directory: directory,
                                      cause: "several \(role) graphs (\(preferred.joined(separator: ", "))): the directory mixes models")
            }
            return path(preferred[0])
        }
        let encoder = try pick("encoder", preferInt8: true)
        let decoder = try pick("decoder", preferInt8: false)
        let joiner = try pick("joiner", preferInt8: true)
        if !names.contains("tokens.txt") { missing.append("tokens.txt") }
        guard missing.isEmpty, let encoder, let decoder, let joiner else {
            throw ModelFilesError(directory: directory, cause: "incomplete model: missing \(missing.joined(separator: ", "))")
        }
        self.directory = directory
        self.encoder = encoder
        self.decoder = decoder
        self.joiner = joiner
        self.tokens = path("tokens.txt")
        self.sentencePieceModel = names.contains("bpe.model") ? path("bpe.model") : nil
    }
}

/// A model directory that cannot be used, with the reason.
public struct ModelFilesError: Error, CustomStringConvertible {
    public let directory: String
    public let cause: String
    public var description: String { "\(directory): \(cause)" }
}
