/// Elementary functions rounded as onnxruntime computes them on an AVX2 + FMA CPU, so that values
/// feeding a DynamicQuantizeLinear land on the same side of every rounding boundary.
///
/// exp, softmax's shifted exp, logistic and tanh follow the MLAS kernels (FMA polynomial evaluation); log follows Eigen's
/// packet logarithm (rational (3,3) approximation, separate multiply and add) that onnxruntime's
/// Log operator uses. Checked bit for bit against onnxruntime on 400k inputs each.
enum ReferenceMath {
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        var v = Swift.min(Swift.max(x, -103.9720840454), 88.7762626647950)
        let roundingBias: Float = 12582912  // 1.5 * 2^23: adding it rounds to an integer.
        let biased = roundingBias.addingProduct(v, 1.44269504088896341)
        let m = biased - roundingBias
        v = v.addingProduct(m, -6.93145752e-1)
        v = v.addingProduct(m, -1.42860677e-6)
        // 2^m as two factors so exponents down to -150 stay representable.
        var overflow = Int32(bitPattern: biased.bitPattern &<< 23)
        var normal = Swift.min(Swift.max(overflow, Int32(bitPattern: 0xC100_0000)), 0x3F80_0000)
        overflow = overflow &- normal &+ 0x3F80_0000
        normal = normal &+ 0x3F80_0000
        var p: Float = 0x1.694000p-10
        p = Float(0x1.125edcp-7).addingProduct(p, v)
        p = Float(0x1.555b5ap-5).addingProduct(p, v)
        p = Float(0x1.555450p-3).addingProduct(p, v)
        p = Float(0x1.fffff6p-2).addingProduct(p, v)
        p = Float(1).addingProduct(p, v)
        let overflowScale = Float(bitPattern: UInt32(bitPattern: overflow))
        v = v * overflowScale
        p = overflowScale.addingProduct(p, v)
        return p * Float(bitPattern: UInt32(bitPattern: normal))
    }

    /// exp(x + negativeMaximum) as MLAS's softmax computes it: only the lower clamp, one scale factor.
    @inline(__always)
    static func shiftedExp(_ x: Float, negativeMaximum: Float) -> Float {
        var v = Swift.max(x + negativeMaximum, -88.3762626647949)
        let roundingBias: Float = 12582912
        let biased = roundingBias.addingProduct(v, 1.44269504088896341)
        let m = biased - roundingBias
        v = v.addingProduct(m, -6.93145752e-1)
        v = v.addingProduct(m, -1.42860677e-6)
        let normal = Int32(bitPattern: biased.bitPattern &<< 23) &+ 0x3F80_0000
        var p: Float = 0x1.694000p-10
        p = Float(0x1.125edcp-7).addingProduct(p, v)
        p = Float(0x1.555b5ap-5).addingProduct(p, v)
        p = Float(0x1.555450p-3).addingProduct(p, v)
        p = Float(0x1.fffff6p-2).addingProduct(p, v)
        p = Float(1).addingProduct(p, v)
        p = Float(1).addingProduct(p, v)
        return p * Float(bitPattern: UInt32(bitPattern: normal))
    }

    @inline(__always)
    static func log(_ input: Float) -> Float {
        if input == 0 { return -.infinity }
        if !(input >= 0) { return .nan }
        if input == .infinity { return .infinity }
        let bits = Swift.max(input, Float(bitPattern: 0x0080_0000)).bitPattern
        // Mantissa in [0.5, 1) and exponent, then shifted to [sqrt(1/2) - 1, sqrt(2) - 1).
        var e = Float(Int32((bits >> 23) & 0xff) - 126)
        var x = Float(bitPattern: (bits & ~0x7f80_0000) | 0x3f00_0000)
        let small = x < 0.707106781186547524
        let twice: Float = small ? x : 0
        x = x - 1
        e = e - (small ? 1 : 0)
        x = x + twice
        var p = x * 0.18256296349849254 + 1.0000000190281063
        p = x * p + 1.0000000190281136
        p = x * p
        var q = x * 0.049616247954120038 + 0.59923249590823520
        q = x * q + 1.4999999999999927
        q = x * q + 1
        return e * 0.693147180559945309 + p / q
    }

    @inline(__always)
    static func logistic(_ x: Float) -> Float {
        let v = Swift.min(Swift.max(x, -18), 18)
        let x2 = v * v
        var p = Float(1.15627324459942e-07).addingProduct(x2, 4.37031012579801e-11)
        p = Float(6.08574864600143e-05).addingProduct(x2, p)
        p = Float(8.51377133304701e-03).addingProduct(x2, p)
        p = Float(2.48287947061529e-01).addingProduct(x2, p)
        var q = Float(5.76102136993427e-09).addingProduct(x2, 6.10247389755681e-13)
        q = Float(6.29106785017040e-06).addingProduct(x2, q)
        q = Float(1.70198817374094e-03).addingProduct(x2, q)
        q = Float(1.16817656904453e-01).addingProduct(x2, q)
        q = Float(9.93151921023180e-01).addingProduct(x2, q)
        return Swift.max(v * p / q + 0.5, 0)
    }

    @inline(__always)
    static func tanh(_ x: Float) -> Float {
        let v = Swift.min(Swift.max(x, -9), 9)
        let x2 = v * v
        var p = Float(2.00018790482477e-13).addingProduct(x2, -2.76076847742355e-16)
        p = Float(-8.60467152213735e-11).addingProduct(x2, p)
        p = Float(5.12229709037114e-08).addingProduct(x2, p)
        p = Float(1.48572235717979e-05).addingProduct(x2, p)
        p = Float(6.37261928875436e-04).addingProduct(x2, p)
        p = Float(4.89352455891786e-03).addingProduct(x2, p)
        var q = Float(1.18534705686654e-04).addingProduct(x2, 1.19825839466702e-06)
        q = Float(2.26843463243900e-03).addingProduct(x2, q)
        q = Float(4.89352518554385e-03).addingProduct(x2, q)
        return v * p / q
    }
}
