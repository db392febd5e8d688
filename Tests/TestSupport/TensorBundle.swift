import Foundation

/// Reads the tensor bundles written by tools/tensor_bundle.py: one JSON header line, then raw
/// little-endian data.
public struct TensorBundle {
    public struct Entry: Decodable {
        public let name: String
        public let dtype: String
        public let shape: [Int]
        public let offset: Int
        public let count: Int
    }

    private struct Header: Decodable {
        let tensors: [Entry]
        let arithmetic: String?
    }

    public let entries: [String: Entry]
    /// The onnxruntime CPU profile the reference outputs were computed with (`ReferenceArithmetic`'s
    /// name), where the writer recorded it.
    public let arithmetic: String?
    private let payload: Data

    public init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard let newline = data.firstIndex(of: UInt8(ascii: "\n")) else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let header = try JSONDecoder().decode(Header.self, from: data[data.startIndex..<newline])
        entries = Dictionary(uniqueKeysWithValues: header.tensors.map { ($0.name, $0) })
        arithmetic = header.arithmetic
        payload = data[(newline + 1)...]
    }

    public func floats(_ name: String) -> [Float] {
        guard let entry = entries[name], entry.dtype == "float32" else { return [] }
        return payload.withUnsafeBytes { raw in
            (0..<entry.count).map { raw.loadUnaligned(fromByteOffset: entry.offset + $0 * 4, as: Float.self) }
        }
    }

    public func int64s(_ name: String) -> [Int64] {
        guard let entry = entries[name], entry.dtype == "int64" else { return [] }
        return payload.withUnsafeBytes { raw in
            (0..<entry.count).map { raw.loadUnaligned(fromByteOffset: entry.offset + $0 * 8, as: Int64.self) }
        }
    }

    public func shape(_ name: String) -> [Int] { entries[name]?.shape ?? [] }
}

/// Max and mean absolute difference of two equally long arrays; infinity if the lengths differ.
public func differences(_ a: [Float], _ b: [Float]) -> (max: Float, mean: Float) {
    guard a.count == b.count, !a.isEmpty else { return (.infinity, .infinity) }
    var maximum: Float = 0, total: Double = 0
    for (x, y) in zip(a, b) {
        let d = abs(x - y)
        maximum = max(maximum, d.isNaN ? .infinity : d)
        total += Double(d)
    }
    return (maximum, Float(total / Double(a.count)))
}
