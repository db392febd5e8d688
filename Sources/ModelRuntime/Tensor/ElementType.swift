/// The tensor element types the runtime executes, numbered as ONNX `TensorProto.DataType`.
public enum ElementType: Int32, Sendable, CustomStringConvertible {
    case float32 = 1
    case uint8 = 2
    case int8 = 3
    case int32 = 6
    case int64 = 7
    case bool = 9

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .float32, .int32: return 4
        case .uint8, .int8, .bool: return 1
        case .int64: return 8
        }
    }

    public var description: String {
        switch self {
        case .float32: return "float32"
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .int32: return "int32"
        case .int64: return "int64"
        case .bool: return "bool"
        }
    }
}
