import Foundation

/// Reads a decimal number from bytes to the Float `strtof` gives (correctly rounded), for the
/// millions of numbers of an ARPA file: a plain decimal of at most 19 digits is worked out
/// exactly in Double arithmetic (Clinger's fast path), everything else goes to `strtof`.
public enum DecimalFloat {
    /// The number the whole of `bytes` spells, nil if they spell none or a NaN.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
        if let value = fastPath(bytes) { return value }
        return parseWithStrtof(bytes)
    }

    /// Powers of ten that a Double holds exactly.
    private static let exactPowersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    /// `[-+]digits[.digits]` with at most 19 significant digits whose value is `m × 10^e` with
    /// m < 2^53 and |e| ≤ 22: both factors are exact Doubles, so one multiplication or division
    /// rounds the value correctly to a Double. Rounding that Double to a Float gives the correctly
    /// rounded Float unless the Double lies exactly halfway between two Floats, which is left to
    /// `strtof`, as are exponents, long numbers and anything near the Float range's ends.
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
        var value = Double(mantissa) / exactPowersOfTen[fractionDigits]
        if negative { value = -value }
        guard value == 0 || (abs(value) >= Double(Float.leastNormalMagnitude) && abs(value) <= Double(Float.greatestFiniteMagnitude)) else {
            return nil
        }
        // Halfway between two Floats: the 29 bits a Float drops are exactly 1 followed by zeros.
        guard value.bitPattern & 0x1FFF_FFFF != 0x1000_0000 else { return nil }
        return Float(value)
    }

    private static func parseWithStrtof(_ bytes: UnsafeBufferPointer<UInt8>) -> Float? {
        // Longer than any number worth reading; refusing it keeps the copy on the stack.
        guard bytes.count < 64, !bytes.isEmpty else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { text -> Float? in
            for (offset, byte) in bytes.enumerated() { text[offset] = CChar(bitPattern: byte) }
            text[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtof(text.baseAddress!, &end)
            guard end == text.baseAddress! + bytes.count, !value.isNaN else { return nil }
            return value
        }
    }
}
