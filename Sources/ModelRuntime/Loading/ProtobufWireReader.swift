/// Reads protobuf's binary wire format field by field, in place: length-delimited values are
/// views into the same bytes (an ONNX file's weights are never copied by the parser). The
/// recognizer reads sentencepiece models with it too.
package struct ProtobufWireReader {
    package enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case bytes(UnsafeRawBufferPointer)
        case fixed32(UInt32)
    }

    private let bytes: UnsafeRawBufferPointer
    fileprivate var position = 0

    package init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next field number and value, nil at the end; throws on truncated or malformed input.
    package mutating func next() throws(ProtobufWireError) -> (field: Int, value: Value)? {
        guard position < bytes.count else { return nil }
        let key = try varint()
        guard key >> 3 > 0, key >> 3 <= UInt64(Int32.max) else { throw .malformed }
        let field = Int(key >> 3)
        switch key & 7 {
        case 0:
            return (field, .varint(try varint()))
        case 1:
            return (field, .fixed64(try fixed(8)))
        case 2:
            let length = try varint()
            guard length <= UInt64(bytes.count - position) else { throw .malformed }
            let start = position
            position += Int(length)
            return (field, .bytes(UnsafeRawBufferPointer(rebasing: bytes[start..<position])))
        case 5:
            return (field, .fixed32(UInt32(try fixed(4))))
        default:
            // Groups (3, 4) are long deprecated; no ONNX or sentencepiece file has them.
            throw .malformed
        }
    }

    fileprivate mutating func varint() throws(ProtobufWireError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count && shift < 64 {
            let byte = bytes[position]
            position += 1
            result |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
        throw .malformed
    }

    private mutating func fixed(_ count: Int) throws(ProtobufWireError) -> UInt64 {
        guard bytes.count - position >= count else { throw .malformed }
        var result: UInt64 = 0
        for index in 0..<count { result |= UInt64(bytes[position + index]) << (8 * UInt64(index)) }
        position += count
        return result
    }
}

package enum ProtobufWireError: Error {
    case malformed
}

extension ProtobufWireReader.Value {
    /// A varint field as a signed 64-bit integer (protobuf's int32/int64 encode negatives in ten bytes).
    var integer: Int64? {
        if case .varint(let v) = self { return Int64(bitPattern: v) }
        return nil
    }

    var message: UnsafeRawBufferPointer? {
        if case .bytes(let b) = self { return b }
        return nil
    }

    var string: String? { message.map { String(decoding: $0, as: UTF8.self) } }
}

/// Repeated scalar fields arrive packed (one length-delimited run) or one value per field; both are
/// valid wire format for the same field.
extension ProtobufWireReader {
    /// Appends the varint values of one occurrence of a repeated integer field.
    static func appendIntegers(_ value: Value, to values: inout [Int64]) throws(ProtobufWireError) {
        switch value {
        case .varint(let v): values.append(Int64(bitPattern: v))
        case .bytes(let packed):
            var reader = ProtobufWireReader(packed)
            while reader.position < packed.count { values.append(Int64(bitPattern: try reader.varint())) }
        default: throw .malformed
        }
    }

    /// Appends the floats of one occurrence of a repeated float field.
    static func appendFloats(_ value: Value, to values: inout [Float]) throws(ProtobufWireError) {
        switch value {
        case .fixed32(let bits): values.append(Float(bitPattern: bits))
        case .bytes(let packed):
            guard packed.count % 4 == 0 else { throw .malformed }
            values.reserveCapacity(values.count + packed.count / 4)
            for offset in stride(from: 0, to: packed.count, by: 4) {
                values.append(Float(bitPattern: packed.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian))
            }
        default: throw .malformed
        }
    }
}
