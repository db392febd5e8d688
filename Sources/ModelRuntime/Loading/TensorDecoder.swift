/// Decodes ONNX TensorProto messages (initializers and tensor attributes) of one mapped file into
/// runtime tensors, checking every size before anything is allocated: a corrupt file may declare
/// any shape.
struct TensorDecoder {
    let file: MappedFile
    let path: String

    /// Weights at least this large with one-byte elements are viewed in the mapping, not copied.
    /// Smaller ones, and wider elements (which the kernels load aligned), get their own storage.
    private static let smallestView = 4096

    /// TensorProto: dims = 1, data_type = 2, float_data = 4, int32_data = 5, int64_data = 7,
    /// name = 8, raw_data = 9, data_location = 14.
    func decode(_ bytes: UnsafeRawBufferPointer) throws -> (name: String, tensor: Tensor) {
        var name = "", dims: [Int64] = [], dataType: Int64 = 0, location: Int64 = 0
        var raw: UnsafeRawBufferPointer?
        var floats: [Float] = [], int32s: [Int64] = [], int64s: [Int64] = []
        var reader = ProtobufWireReader(bytes)
        while let (field, value) = try reader.next() {
            switch field {
            case 1: try ProtobufWireReader.appendIntegers(value, to: &dims)
            case 2: dataType = value.integer ?? -1
            case 4: try ProtobufWireReader.appendFloats(value, to: &floats)
            case 5: try ProtobufWireReader.appendIntegers(value, to: &int32s)
            case 7: try ProtobufWireReader.appendIntegers(value, to: &int64s)
            case 8: name = value.string ?? ""
            case 9: raw = value.message
            case 14: location = value.integer ?? 0
            default: break
            }
        }
        func invalid(_ reason: String) -> ModelLoadError {
            ModelLoadError(path: path, cause: .invalidGraph("tensor '\(name)' \(reason)"))
        }
        guard let code = Int32(exactly: dataType), let element = ElementType(rawValue: code) else {
            throw invalid("has unsupported data type \(dataType)")
        }
        guard location != 1 else { throw invalid("uses external data") }
        guard dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
            throw invalid("has a negative or impossible dimension")
        }
        let shape = dims.map { Int($0) }
        let type = TensorType(element, shape)
        guard let count = TensorType.checkedCount(shape), type.isPlannable else {
            throw invalid("has shape \(shape), larger than \(TensorType.maximumByteCount >> 20) MiB")
        }
        if let raw, !raw.isEmpty {
            guard raw.count == type.byteCount else {
                throw invalid("holds \(raw.count) bytes, its shape \(shape) needs \(type.byteCount)")
            }
            return (name, tensor(type, raw))
        }
        let tensor = Tensor(type: type)
        switch element {
        case .float32:
            guard floats.count == count else { throw invalid("holds \(floats.count) values, its shape \(shape) needs \(count)") }
            for (i, v) in floats.enumerated() { tensor.pointer.storeBytes(of: v, toByteOffset: i * 4, as: Float.self) }
        case .int64:
            guard int64s.count == count else { throw invalid("holds \(int64s.count) values, its shape \(shape) needs \(count)") }
            for (i, v) in int64s.enumerated() { tensor.pointer.storeBytes(of: v, toByteOffset: i * 8, as: Int64.self) }
        case .int32, .uint8, .bool, .int8:
            guard int32s.count == count else { throw invalid("holds \(int32s.count) values, its shape \(shape) needs \(count)") }
            for (i, v) in int32s.enumerated() {
                switch element {
                case .int32: tensor.pointer.storeBytes(of: Int32(truncatingIfNeeded: v), toByteOffset: i * 4, as: Int32.self)
                case .int8: tensor.pointer.storeBytes(of: Int8(truncatingIfNeeded: v), toByteOffset: i, as: Int8.self)
                default: tensor.pointer.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: i, as: UInt8.self)
                }
            }
        }
        return (name, tensor)
    }

    /// A tensor over raw little-endian bytes of the file: a view when large, byte-sized and not at
    /// the very end of the mapping (kernels may read a vector past a row's end), else a copy.
    private func tensor(_ type: TensorType, _ raw: UnsafeRawBufferPointer) -> Tensor {
        let end = raw.baseAddress! + raw.count
        let mappingEnd = file.bytes.baseAddress! + file.bytes.count
        if type.element.byteSize == 1, raw.count >= Self.smallestView, mappingEnd - end >= 64 {
            return Tensor(type: type, viewing: raw, in: file)
        }
        // The copy is what is read from now on; the mapped original need not stay resident.
        defer { file.releasePages(of: raw) }
        return Tensor(type: type, copying: raw)
    }
}
