import Foundation

/// A NumPy `.npy` array read back as Double values (float32 and float64, little-endian, C order).
struct NPYArray {
    enum ReadError: Error, CustomStringConvertible {
        case malformed(String, String)
        var description: String {
            switch self { case let .malformed(path, why): return "\(path): not a readable .npy file (\(why))" }
        }
    }

    let shape: [Int]
    let values: [Double]

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try self.init(data: data, name: path)
    }

    init(data: Data, name: String = "data") throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8) else {
            throw ReadError.malformed(name, "bad magic")
        }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + headerLength, let header = String(bytes: bytes[10..<(10 + headerLength)], encoding: .ascii) else {
            throw ReadError.malformed(name, "short header")
        }
        guard !header.contains("'fortran_order': True") else { throw ReadError.malformed(name, "Fortran order") }
        guard let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw ReadError.malformed(name, "no shape")
        }
        shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let payload = bytes[(10 + headerLength)...]
        let count = shape.reduce(1, *)
        if header.contains("'<f4'") {
            guard payload.count == 4 * count else { throw ReadError.malformed(name, "size") }
            values = (0..<count).map { i in
                let at = payload.startIndex + 4 * i
                let bits = UInt32(payload[at]) | UInt32(payload[at + 1]) << 8 | UInt32(payload[at + 2]) << 16 | UInt32(payload[at + 3]) << 24
                return Double(Float(bitPattern: bits))
            }
        } else if header.contains("'<f8'") {
            guard payload.count == 8 * count else { throw ReadError.malformed(name, "size") }
            values = (0..<count).map { i in
                var bits: UInt64 = 0
                for byte in 0..<8 { bits |= UInt64(payload[payload.startIndex + 8 * i + byte]) << (8 * byte) }
                return Double(bitPattern: bits)
            }
        } else {
            throw ReadError.malformed(name, "dtype is not <f4 or <f8")
        }
    }

    var floats: [Float] { values.map { Float($0) } }
}
