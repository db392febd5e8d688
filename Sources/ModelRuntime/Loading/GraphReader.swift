import Foundation

/// Reads an ONNX file into a `Graph`: maps the file, decodes the protobuf messages the runtime
/// needs straight from the mapping, checks the opset, converts initializers and attributes to
/// runtime tensors. Large byte-sized weights (the int8 matrices, nearly all of a quantized model)
/// stay in the mapping instead of being copied: loading reads them once, when they are packed.
enum GraphReader {
    /// Default-domain opset versions whose operator semantics the kernels implement.
    static let supportedOpsets: ClosedRange<Int> = 11...21

    /// `initializersRead` receives the initializers as soon as they are decoded, before the nodes, so
    /// that work on the weights alone can start while the rest of the file is read.
    static func read(path: String, initializersRead: ([(value: ValueID, tensor: Tensor)]) -> Void = { _ in }) throws -> Graph {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelLoadError(path: path, cause: .missingFile)
        }
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw ModelLoadError(path: path, cause: .unreadable(error.reason))
        }
        guard file.bytes.count > 0 else {
            throw ModelLoadError(path: path, cause: .notONNX("the file is empty"))
        }
        let model: ModelMessage
        do {
            model = try ModelMessage(file.bytes)
        } catch {
            throw ModelLoadError(path: path, cause: .notONNX("malformed protobuf"))
        }
        guard model.irVersion > 0, let graphBytes = model.graph else {
            throw ModelLoadError(path: path, cause: .notONNX("no IR version or no graph"))
        }
        guard let opset = model.opsets.first(where: { $0.domain.isEmpty || $0.domain == "ai.onnx" }) else {
            throw ModelLoadError(path: path, cause: .notONNX("no ai.onnx opset import"))
        }
        guard let version = Int(exactly: opset.version), supportedOpsets.contains(version) else {
            throw ModelLoadError(path: path, cause: .unsupportedOpset(domain: opset.domain, version: Int(clamping: opset.version)))
        }
        let decoder = TensorDecoder(file: file, path: path)
        let names = ValueNames()
        let graph: GraphMessage
        do {
            graph = try GraphMessage(graphBytes, tensors: decoder, names: names, initializersRead: initializersRead)
        } catch let error as ModelLoadError {
            throw error
        } catch {
            throw ModelLoadError(path: path, cause: .notONNX("malformed protobuf"))
        }
        guard !graph.nodes.isEmpty else {
            throw ModelLoadError(path: path, cause: .notONNX("empty graph"))
        }
        // Initializers may also be listed as graph inputs (older exporters); those are not inputs.
        let initialized = ValueSet(graph.initializers.map(\.value), capacity: names.count)
        let inputs = graph.inputs.filter { !initialized.contains($0.value) }
        return Graph(path: path, opsetVersion: version, names: names, nodes: graph.nodes, initializers: graph.initializers,
                     inputs: inputs, outputs: graph.outputs, metadata: model.metadata)
    }
}

// The messages of onnx.proto the runtime reads, by field number; fields it does not use are skipped.

/// ModelProto: ir_version = 1, graph = 7, opset_import = 8, metadata_props = 14.
private struct ModelMessage {
    var irVersion: Int64 = 0
    var graph: UnsafeRawBufferPointer?
    var opsets: [(domain: String, version: Int64)] = []
    var metadata: [String: String] = [:]

    init(_ bytes: UnsafeRawBufferPointer) throws {
        var reader = ProtobufWireReader(bytes)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: irVersion = try value.requireInteger()
            case 7: graph = try value.requireMessage()
            case 8:
                // OperatorSetIdProto: domain = 1, version = 2.
                var opset: (domain: String, version: Int64) = ("", 0)
                var entry = ProtobufWireReader(try value.requireMessage())
                while let (field, value) = try entry.next() {
                    if field == 1 { opset.domain = try value.requireString() }
                    if field == 2 { opset.version = try value.requireInteger() }
                }
                opsets.append(opset)
            case 14:
                // StringStringEntryProto: key = 1, value = 2.
                var key = "", text = ""
                var entry = ProtobufWireReader(try value.requireMessage())
                while let (field, value) = try entry.next() {
                    if field == 1 { key = try value.requireString() }
                    if field == 2 { text = try value.requireString() }
                }
                metadata[key] = text
            default: break
            }
        }
    }
}

/// GraphProto: node = 1, initializer = 5, input = 11, output = 12.
private struct GraphMessage {
    var nodes: [Node] = []
    var initializers: [(value: ValueID, tensor: Tensor)] = []
    var inputs: [ValueDeclaration] = []
    var outputs: [ValueDeclaration] = []

    /// Value names are numbered in `names` as they appear. The initializers are read first (a pass that
    /// skips the rest) and handed to `initializersRead`.
    init(_ bytes: UnsafeRawBufferPointer, tensors: TensorDecoder, names: ValueNames,
         initializersRead: ([(value: ValueID, tensor: Tensor)]) -> Void) throws {
        var initializerReader = ProtobufWireReader(bytes)
        while let (field, value) = try initializerReader.next() {
            guard field == 5 else { continue }
            let tensor = try tensors.decode(try value.requireMessage())
            initializers.append((names.intern(tensor.name), tensor.tensor))
        }
        initializersRead(initializers)
        var reader = ProtobufWireReader(bytes)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: nodes.append(try Self.node(try value.requireMessage(), tensors: tensors, names: names))
            case 11: inputs.append(try Self.declaration(try value.requireMessage(), names: names))
            case 12: outputs.append(try Self.declaration(try value.requireMessage(), names: names))
            default: break
            }
        }
    }

    /// NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.
    private static func node(_ bytes: UnsafeRawBufferPointer, tensors: TensorDecoder, names: ValueNames) throws -> Node {
        var name = "", opType = "", domain = ""
        var inputs: [ValueID] = [], outputs: [ValueID] = []
        var attributes: [String: AttributeValue] = [:]
        var reader = ProtobufWireReader(bytes)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: inputs.append(names.intern(try value.requireString()))
            case 2: outputs.append(names.intern(try value.requireString()))
            case 3: name = try value.requireString()
            case 4: opType = try value.requireString()
            case 5:
                let (key, attribute) = try Self.attribute(try value.requireMessage(), tensors: tensors)
                if let attribute { attributes[key] = attribute }
            case 7: domain = try value.requireString()
            default: break
            }
        }
        return Node(name: name, opType: opType, domain: domain, inputs: inputs, outputs: outputs, attributes: attributes)
    }

    /// AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20.
    /// Graphs, sparse tensors and type protos are skipped: no supported operator uses them.
    private static func attribute(_ bytes: UnsafeRawBufferPointer, tensors: TensorDecoder) throws -> (String, AttributeValue?) {
        var name = "", type: Int64 = 0
        var f: Float = 0, i: Int64 = 0, s = "", t: UnsafeRawBufferPointer?
        var floats: [Float] = [], ints: [Int64] = []
        var reader = ProtobufWireReader(bytes)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: name = try value.requireString()
            case 2:
                guard case .fixed32(let bits) = value else { throw ProtobufWireError.malformed }
                f = Float(bitPattern: bits)
            case 3: i = try value.requireInteger()
            case 4: s = try value.requireString()
            case 5: t = try value.requireMessage()
            case 7: try ProtobufWireReader.appendFloats(value, to: &floats)
            case 8: try ProtobufWireReader.appendIntegers(value, to: &ints)
            case 20: type = try value.requireInteger()
            default: break
            }
        }
        switch type {
        case 1: return (name, .float(f))
        case 2: return (name, .int(Int(truncatingIfNeeded: i)))
        case 3: return (name, .string(s))
        case 4:
            guard let t else { return (name, nil) }
            return (name, .tensor(try tensors.decode(t).tensor))
        case 6: return (name, .floats(floats))
        case 7: return (name, .ints(ints.map { Int(truncatingIfNeeded: $0) }))
        default: return (name, nil)
        }
    }

    /// ValueInfoProto: name = 1, type = 2 → TypeProto.tensor_type = 1 → elem_type = 1, shape = 2 →
    /// TensorShapeProto.dim = 1 → dim_value = 1 (dim_param, symbolic, is a nil entry).
    private static func declaration(_ bytes: UnsafeRawBufferPointer, names: ValueNames) throws -> ValueDeclaration {
        var name = "", elementCode: Int32 = 0, shape: [Int?] = []
        var reader = ProtobufWireReader(bytes)
        while let (field, value) = try reader.next() {
            if field == 1 { name = try value.requireString() }
            guard field == 2 else { continue }
            var type = ProtobufWireReader(try value.requireMessage())
            while let (field, value) = try type.next() {
                guard field == 1 else { continue }
                var tensorType = ProtobufWireReader(try value.requireMessage())
                while let (field, value) = try tensorType.next() {
                    if field == 1 { elementCode = Int32(truncatingIfNeeded: try value.requireInteger()) }
                    guard field == 2 else { continue }
                    shape = []
                    var dims = ProtobufWireReader(try value.requireMessage())
                    while let (field, value) = try dims.next() {
                        guard field == 1 else { continue }
                        var size: Int64 = 0
                        var dim = ProtobufWireReader(try value.requireMessage())
                        while let (field, value) = try dim.next() {
                            if field == 1 { size = try value.requireInteger() }
                        }
                        shape.append(size > 0 ? Int(size) : nil)
                    }
                }
            }
        }
        return ValueDeclaration(name: name, value: names.intern(name), element: ElementType(rawValue: elementCode),
                                elementCode: elementCode, shape: shape)
    }
}

private extension ProtobufWireReader.Value {
    func requireInteger() throws -> Int64 {
        guard let integer else { throw ProtobufWireError.malformed }
        return integer
    }

    func requireMessage() throws -> UnsafeRawBufferPointer {
        guard let message else { throw ProtobufWireError.malformed }
        return message
    }

    func requireString() throws -> String {
        guard let string else { throw ProtobufWireError.malformed }
        return string
    }
}
