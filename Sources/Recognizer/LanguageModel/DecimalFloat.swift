/// Reads a decimal number from bytes to the Float `Float(String)` gives (correctly rounded), for the
/// millions of numbers of an ARPA file: a plain decimal of at most 19 digits is worked out exactly
/// in Double arithmetic (Clinger's fast path) without making a string; everything else goes to
/// `Float(String)` itself.
package enum DecimalFloat {
    /// The number the whole of `bytes` spells, nil if they spell none or a NaN.
    package static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
        if let value = fastPath(bytes) { return value }
        guard let value = Float(String(decoding: bytes, as: UTF8.self)), !value.isNaN else { return nil }
        return value
    }

    /// The powers of ten a Double holds exactly.
    private static let exactPowersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// `[-+]digits[.digits]` (either side of the point may be empty, not both) with at most 19
    /// significant digits: the value is m / 10^f with m < 2^53 and f ≤ 22, both exact Doubles, so
    /// one division rounds it correctly to a Double, which lies between 1e-22 and 2^53, well inside
    /// Float's normal range. Rounding that Double to a Float gives the correctly rounded Float
    /// unless the Double lies exactly halfway between two Floats; that case, exponents and longer
    /// numbers are left to `Float(String)`.
    private static func fastPath(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var seenPoint = false
        var seenDigit = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") && !seenPoint {
                seenPoint = true
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                guard digits < 19 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                seenDigit = true
                // Leading zeros are not significant digits.
                if mantissa > 0 { digits += 1 }
                if seenPoint { fractionDigits += 1 }
            } else {
                return nil
            }
            index += 1
        }
        guard seenDigit, mantissa < 1 << 53, fractionDigits <= 22 else { return nil }
        let value = Double(mantissa) / exactPowersOfTen[fractionDigits]
        // Halfway between two Floats: the 29 bits a Float drops are exactly 1 followed by zeros.
        guard value.bitPattern & 0x1FFF_FFFF != 0x1000_0000 else { return nil }
        return Float(negative ? -value : value)
    }
}
