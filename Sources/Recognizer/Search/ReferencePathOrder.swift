/// The order in which sherpa-onnx holds the paths of its beam, reproduced so that exact ties in the
/// top-k break the same way: its `Hypotheses` is a `std::unordered_map` keyed by the token sequence
/// written in decimal and joined by "-" ("-1-0-232-314"), hashed by libstdc++'s `std::hash<string>`
/// (`_Hash_bytes`, seed 0xc70f6907). A map of up to 13 entries has 13 buckets; a new entry goes in
/// front of the first entry of its bucket, or at the front of the list if its bucket is empty, and
/// iteration follows the list. The paths' order is the order of the joiner's rows, so it decides
/// which of two equal scores comes first.
enum ReferencePathOrder {
    /// libstdc++'s bucket count for maps of up to this many entries.
    static let bucketCount: UInt64 = 13

    /// The bucket of the token sequence `ys` (start context included). `scratch` holds the decimal
    /// key; it keeps its capacity between calls.
    static func bucket(of ys: [Int64], scratch: inout [UInt8]) -> Int {
        scratch.removeAll(keepingCapacity: true)
        for (index, token) in ys.enumerated() {
            if index > 0 { scratch.append(UInt8(ascii: "-")) }
            appendDecimal(token, to: &scratch)
        }
        return Int(hash(scratch) % bucketCount)
    }

    static func appendDecimal(_ value: Int64, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var digits = 1, rest = value.magnitude / 10
        while rest > 0 { digits += 1; rest /= 10 }
        let end = bytes.count + digits
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        var magnitude = value.magnitude, index = end - 1
        repeat {
            bytes[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            index -= 1
        } while magnitude > 0
    }

    /// libstdc++'s `_Hash_bytes` on 64-bit targets (a MurmurHash64A variant).
    static func hash(_ bytes: [UInt8], seed: UInt64 = 0xc70f_6907) -> UInt64 {
        let multiplier: UInt64 = 0xc6a4_a793_5bd1_e995
        func shiftMix(_ value: UInt64) -> UInt64 { value ^ (value >> 47) }
        func load(_ start: Int, _ count: Int) -> UInt64 {
            var result: UInt64 = 0
            for index in stride(from: start + count - 1, through: start, by: -1) { result = (result << 8) &+ UInt64(bytes[index]) }
            return result
        }
        let alignedCount = bytes.count & ~7
        var hash = seed ^ (UInt64(bytes.count) &* multiplier)
        for start in stride(from: 0, to: alignedCount, by: 8) {
            hash ^= shiftMix(load(start, 8) &* multiplier) &* multiplier
            hash = hash &* multiplier
        }
        if bytes.count & 7 != 0 {
            hash ^= load(alignedCount, bytes.count & 7)
            hash = hash &* multiplier
        }
        return shiftMix(shiftMix(hash) &* multiplier)
    }
}
