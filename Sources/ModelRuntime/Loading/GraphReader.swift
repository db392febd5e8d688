import Foundation
import SwiftProtobuf

/// Reads an ONNX file into a `Graph`: parses the protobuf, checks the opset, converts
/// initializers and attributes to runtime tensors.
enum GraphReader {
    /// Default-domain opset versions whose operator semantics the kernels implement.
    static let supportedOpsets: ClosedRange<Int> = 11...21

    static func read(path: String) throws -> Graph {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelLoadError(path: path, cause: .missingFile)
        }
        // An empty file is no model; Foundation's whole-file reader also leaks a page on one.
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber, size.intValue == 0 {
            throw ModelLoadError(path: path, cause: .notONNX("the file is empty"))
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw ModelLoadError(path: path, cause: .unreadable(error.localizedDescription))
        }
        let model: Onnx_ModelProto
        do {
            model = try Onnx_ModelProto(serializedBytes: data)
        } catch {
            throw ModelLoadError(path: path, cause: .notONNX("protobuf decoding failed: \(error)"))
        }
        guard model.irVersion > 0, model.hasGraph, !model.graph.node.isEmpty else {
            throw ModelLoadError(path: path, cause: .notONNX("no IR version or empty graph"))
        }
        guard let opset = model.opsetImport.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) else {
            throw ModelLoadError(path: path, cause: .notONNX("no ai.onnx opset import"))
        }
        guard supportedOpsets.contains(Int(opset.version)) else {
            throw ModelLoadError(path: path, cause: .unsupportedOpset(domain: opset.domain, version: Int(opset.version)))
        }

        var initializers: [String: Tensor] = [:]
        for proto in model.graph.initializer {
            initializers[proto.name] = try tensor(from: proto, path: path)
        }
        var nodes: [Node] = []
        nodes.reserveCapacity(model.graph.node.count)
        for proto in model.graph.node {
            var attributes: [String: AttributeValue] = [:]
            for attribute in proto.attribute {
                if let value = try attributeValue(attribute, path: path) {
                    attributes[attribute.name] = value
                }
            }
            nodes.append(Node(name: proto.name, opType: proto.opType, domain: proto.domain,
                              inputs: proto.input, outputs: proto.output, attributes: attributes))
        }
        // Initializers may also be listed as graph inputs (older exporters); those are not inputs.
        let inputs = model.graph.input.filter { initializers[$0.name] == nil }.map(declaration)
        let outputs = model.graph.output.map(declaration)
        var metadata: [String: String] = [:]
        for entry in model.metadataProps { metadata[entry.key] = entry.value }
        return Graph(path: path, opsetVersion: Int(opset.version), nodes: nodes, initializers: initializers,
                     inputs: inputs, outputs: outputs, metadata: metadata)
    }

    private static func declaration(_ info: Onnx_ValueInfoProto) -> ValueDeclaration {
        let tensorType = info.type.tensorType
        let shape: [Int?] = tensorType.shape.dim.map { dim in
            if case .dimValue(let v)? = dim.value, v > 0 { return Int(v) }
            return nil
        }
        return ValueDeclaration(name: info.name, element: ElementType(rawValue: tensorType.elemType),
                                elementCode: tensorType.elemType, shape: shape)
    }

    private static func attributeValue(_ a: Onnx_AttributeProto, path: String) throws -> AttributeValue? {
        switch a.type {
        case .int: return .int(Int(a.i))
        case .ints: return .ints(a.ints.map { Int($0) })
        case .float: return .float(a.f)
        case .floats: return .floats(a.floats)
        case .string: return .string(String(decoding: a.s, as: UTF8.self))
        case .tensor: return .tensor(try tensor(from: a.t, path: path))
        default: return nil  // Graphs, sparse tensors, type protos: no supported operator uses them.
        }
    }

    /// Converts a TensorProto (raw_data or typed fields) into an owned tensor.
    static func tensor(from proto: Onnx_TensorProto, path: String) throws -> Tensor {
        guard let element = ElementType(rawValue: proto.dataType) else {
            throw ModelLoadError(path: path, cause: .invalidGraph(
                "tensor '\(proto.name)' has unsupported data type \(proto.dataType)"))
        }
        guard proto.dataLocation != .external else {
            throw ModelLoadError(path: path, cause: .invalidGraph("tensor '\(proto.name)' uses external data"))
        }
        let shape = proto.dims.map { Int($0) }
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw ModelLoadError(path: path, cause: .invalidGraph("tensor '\(proto.name)' has a negative dimension"))
        }
        let type = TensorType(element, shape)
        // Sizes are checked before anything is allocated: a corrupt file may declare any shape.
        guard let count = TensorType.checkedCount(shape), type.isPlannable else {
            throw ModelLoadError(path: path, cause: .invalidGraph(
                "tensor '\(proto.name)' has shape \(shape), larger than \(TensorType.maximumByteCount >> 20) MiB"))
        }
        if !proto.rawData.isEmpty {
            guard proto.rawData.count == type.byteCount else {
                throw ModelLoadError(path: path, cause: .invalidGraph(
                    "tensor '\(proto.name)' holds \(proto.rawData.count) bytes, its shape \(shape) needs \(type.byteCount)"))
            }
            return proto.rawData.withUnsafeBytes { Tensor(type: type, copying: $0) }
        }
        let fieldCount: Int
        switch element {
        case .float32: fieldCount = proto.floatData.count
        case .int64: fieldCount = proto.int64Data.count
        case .int32, .uint8, .bool, .int8: fieldCount = proto.int32Data.count
        }
        guard fieldCount == count else {
            throw ModelLoadError(path: path, cause: .invalidGraph(
                "tensor '\(proto.name)' holds \(fieldCount) values, its shape \(shape) needs \(count)"))
        }
        let tensor = Tensor(type: type)
        switch element {
        case .float32:
            for (i, v) in proto.floatData.enumerated() { tensor.pointer.storeBytes(of: v, toByteOffset: i * 4, as: Float.self) }
        case .int64:
            for (i, v) in proto.int64Data.enumerated() { tensor.pointer.storeBytes(of: v, toByteOffset: i * 8, as: Int64.self) }
        case .int32:
            for (i, v) in proto.int32Data.enumerated() { tensor.pointer.storeBytes(of: v, toByteOffset: i * 4, as: Int32.self) }
        case .uint8, .bool:
            for (i, v) in proto.int32Data.enumerated() { tensor.pointer.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self) }
        case .int8:
            for (i, v) in proto.int32Data.enumerated() { tensor.pointer.storeBytes(of: Int8(truncatingIfNeeded: v), toByteOffset: i, as: Int8.self) }
        }
        return tensor
    }
}
