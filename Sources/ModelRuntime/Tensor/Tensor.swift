/// A constant tensor: an initializer of the graph or a value folded at load.
struct Tensor {
    let type: TensorType
    let storage: TensorStorage

    init(type: TensorType) {
        self.type = type
        storage = TensorStorage(byteCount: type.byteCount)
    }

    /// A tensor holding a copy of `bytes` (exactly `type.byteCount` of them).
    init(type: TensorType, copying bytes: UnsafeRawBufferPointer) {
        self.type = type
        storage = TensorStorage(copying: bytes)
    }

    /// A tensor whose bytes stay in a mapped model file.
    init(type: TensorType, viewing bytes: UnsafeRawBufferPointer, in file: MappedFile) {
        self.type = type
        storage = TensorStorage(viewing: bytes, in: file)
    }

    /// The same bytes seen with another shape (Reshape, Squeeze, Unsqueeze of a constant).
    init(reshaping tensor: Tensor, to shape: [Int]) {
        type = TensorType(tensor.type.element, shape)
        storage = tensor.storage
    }

    var pointer: UnsafeMutableRawPointer { storage.pointer }

    /// The values widened to Int64; for shape-like inputs (axes, starts, shapes, exponents).
    func integers() -> [Int] {
        let n = type.count
        switch type.element {
        case .int64: return (0..<n).map { Int(pointer.load(fromByteOffset: $0 * 8, as: Int64.self)) }
        case .int32: return (0..<n).map { Int(pointer.load(fromByteOffset: $0 * 4, as: Int32.self)) }
        case .uint8: return (0..<n).map { Int(pointer.load(fromByteOffset: $0, as: UInt8.self)) }
        case .int8: return (0..<n).map { Int(pointer.load(fromByteOffset: $0, as: Int8.self)) }
        case .bool: return (0..<n).map { Int(pointer.load(fromByteOffset: $0, as: UInt8.self)) }
        case .float32: return (0..<n).map { Int(pointer.load(fromByteOffset: $0 * 4, as: Float.self)) }
        }
    }

    /// The values as Float; for scalar attributes carried as tensors (Pow exponent, Clip bounds).
    func floats() -> [Float] {
        let n = type.count
        switch type.element {
        case .float32: return (0..<n).map { pointer.load(fromByteOffset: $0 * 4, as: Float.self) }
        default: return integers().map(Float.init)
        }
    }
}
