import Foundation
import Recognizer
import Testing

/// The ARPA reader's number parser against `Float(String)`, bit for bit; a NaN is no number to it.
@Suite struct DecimalFloatTests {
    static func parse(_ text: String) -> Float? {
        Array(text.utf8).withUnsafeBufferPointer { DecimalFloat.parse($0) }
    }

    static func expectSame(_ text: String) {
        let expected = Float(text).flatMap { $0.isNaN ? nil : $0 }
        let parsed = parse(text)
        #expect(parsed?.bitPattern == expected?.bitPattern, "\(text): \(String(describing: parsed)) against \(String(describing: expected))")
    }

    @Test func agreesOnTheShapesOfARPANumbers() {
        for text in ["-99", "0", "-0", "-0.0", "+1.5", ".5", "5.", "-4.123456", "-5.3450513", "-0.30103",
                     "1e-3", "-1.5E+2", "0x1p-3", "-inf", "inf", "nan", "", "-", ".", "1.2.3", "1-2", "abc", "1 ",
                     "0.000000000000000000001", "12345678901234567890", "-340282356779733661637539395458142568448",
                     "1e-45", "1.1754943e-38", "3.4028235e38", " 1", "\u{0C}-1.5", "1\r",
                     "-1." + String(repeating: "0", count: 70) + "1",
                     // Their Doubles lie exactly halfway between two Floats; the decimals do not.
                     "1.789926826953888", "1.989766776561737"] {
            Self.expectSame(text)
        }
    }

    /// Random decimals of every length the fast path takes and beyond, and 2^24 + 1 (halfway between
    /// two Floats) scaled by powers of ten and printed to more and fewer digits.
    @Test func agreesOnRandomDecimals() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let digits = Int.random(in: 1...21, using: &generator)
            var text = Bool.random(using: &generator) ? "-" : ""
            let point = Int.random(in: 0...digits, using: &generator)
            for index in 0..<digits {
                if index == point { text += "." }
                text += String(Int.random(in: 0...9, using: &generator))
            }
            Self.expectSame(text)
        }
        for exponent in 0...20 {
            let halfway = Double(1 << 24 + 1) / pow(10, Double(exponent))
            Self.expectSame(String(format: "%.\(exponent)f", halfway))
            Self.expectSame(String(format: "%.\(exponent + 3)f", halfway))
        }
    }
}
