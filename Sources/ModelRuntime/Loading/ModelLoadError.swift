/// Why a model file could not be loaded; the description is one line naming the file and the cause.
public struct ModelLoadError: Error, CustomStringConvertible, Equatable {
    public enum Cause: Equatable, Sendable {
        case missingFile
        case unreadable(String)
        case notONNX(String)
        case unsupportedOpset(domain: String, version: Int)
        case unsupportedOperators([String])
        case invalidGraph(String)
        case mismatch(String)
    }

    public let path: String
    public let cause: Cause

    public init(path: String, cause: Cause) {
        self.path = path
        self.cause = cause
    }

    public var description: String {
        switch cause {
        case .missingFile:
            return "\(path): file not found"
        case .unreadable(let reason):
            return "\(path): cannot read file (\(reason))"
        case .notONNX(let reason):
            return "\(path): not an ONNX model (\(reason))"
        case .unsupportedOpset(let domain, let version):
            return "\(path): unsupported opset \(domain.isEmpty ? "ai.onnx" : domain) version \(version) "
                + "(supported: ai.onnx \(GraphReader.supportedOpsets.lowerBound)...\(GraphReader.supportedOpsets.upperBound))"
        case .unsupportedOperators(let names):
            return "\(path): unsupported operator\(names.count == 1 ? "" : "s") \(names.joined(separator: ", "))"
        case .invalidGraph(let reason):
            return "\(path): invalid graph: \(reason)"
        case .mismatch(let reason):
            return "\(path): does not match the other model files: \(reason)"
        }
    }
}
