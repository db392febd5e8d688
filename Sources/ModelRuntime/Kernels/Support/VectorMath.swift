/// `ReferenceMath`'s functions on 8 lanes at once: the same operations in the same order on each
/// lane (fused multiply-adds where it fuses, separate roundings where it does not), so every lane
/// equals the scalar function bit for bit. Fused elementwise loops use these.
package enum VectorMath {
    package typealias Vector = SIMD8<Float>

    /// Swift.max(x, y): y >= x ? y : x, lane by lane.
    @inline(__always)
    static func maximum(_ x: Vector, _ y: Vector) -> Vector { x.replacing(with: y, where: y .>= x) }

    /// Swift.min(x, y): y < x ? y : x, lane by lane.
    @inline(__always)
    static func minimum(_ x: Vector, _ y: Vector) -> Vector { x.replacing(with: y, where: y .< x) }

    @inline(__always)
    static func magnitude(_ x: Vector) -> Vector {
        Vector(bitPattern: x.bitPattern & SIMD8<UInt32>(repeating: 0x7FFF_FFFF))
    }

    @inline(__always)
    package static func exp(_ x: Vector) -> Vector {
        var v = minimum(maximum(x, Vector(repeating: -103.9720840454)), Vector(repeating: 88.7762626647950))
        let roundingBias = Vector(repeating: 12582912)
        let biased = roundingBias.addingProduct(v, Vector(repeating: 1.44269504088896341))
        let m = biased - roundingBias
        v = v.addingProduct(m, Vector(repeating: -6.93145752e-1))
        v = v.addingProduct(m, Vector(repeating: -1.42860677e-6))
        var overflow = unsafeBitCast(biased.bitPattern &<< 23, to: SIMD8<Int32>.self)
        let lowest = SIMD8<Int32>(repeating: Int32(bitPattern: 0xC100_0000)), highest = SIMD8<Int32>(repeating: 0x3F80_0000)
        var normal = overflow.replacing(with: lowest, where: overflow .< lowest)
        normal.replace(with: highest, where: normal .> highest)
        overflow = overflow &- normal &+ 0x3F80_0000
        normal = normal &+ 0x3F80_0000
        var p = Vector(repeating: 0x1.694000p-10)
        p = Vector(repeating: 0x1.125edcp-7).addingProduct(p, v)
        p = Vector(repeating: 0x1.555b5ap-5).addingProduct(p, v)
        p = Vector(repeating: 0x1.555450p-3).addingProduct(p, v)
        p = Vector(repeating: 0x1.fffff6p-2).addingProduct(p, v)
        p = Vector(repeating: 1).addingProduct(p, v)
        let overflowScale = unsafeBitCast(overflow, to: Vector.self)
        v = v * overflowScale
        p = overflowScale.addingProduct(p, v)
        return p * unsafeBitCast(normal, to: Vector.self)
    }

    /// `exp` without its clamps and overflow split: equal to `exp` bit for bit wherever neither
    /// clamp bites and the exponent's scale is exactly 1, which holds for every lane in [-87, 87].
    /// Softmax's shifted exponential, whose arguments are at most 0, runs it after its own clamp.
    @inline(__always)
    static func expInNormalRange(_ x: Vector) -> Vector {
        let roundingBias = Vector(repeating: 12582912)
        let biased = roundingBias.addingProduct(x, Vector(repeating: 1.44269504088896341))
        let m = biased - roundingBias
        var v = x.addingProduct(m, Vector(repeating: -6.93145752e-1))
        v = v.addingProduct(m, Vector(repeating: -1.42860677e-6))
        let normal = unsafeBitCast(biased.bitPattern &<< 23, to: SIMD8<Int32>.self) &+ 0x3F80_0000
        var p = Vector(repeating: 0x1.694000p-10)
        p = Vector(repeating: 0x1.125edcp-7).addingProduct(p, v)
        p = Vector(repeating: 0x1.555b5ap-5).addingProduct(p, v)
        p = Vector(repeating: 0x1.555450p-3).addingProduct(p, v)
        p = Vector(repeating: 0x1.fffff6p-2).addingProduct(p, v)
        p = Vector(repeating: 1).addingProduct(p, v)
        p = Vector(repeating: 1).addingProduct(p, v)
        return p * unsafeBitCast(normal, to: Vector.self)
    }

    /// `ReferenceMath.shiftedExp` (softmax's exponential of x - max) on 8 lanes.
    @inline(__always)
    package static func shiftedExp(_ x: Vector, negativeMaximum: Vector) -> Vector {
        expInNormalRange(maximum(x + negativeMaximum, Vector(repeating: -88.3762626647949)))
    }

    @inline(__always)
    package static func log(_ input: Vector) -> Vector {
        var result = logOfNormal(maximum(input, Vector(repeating: Float(bitPattern: 0x0080_0000))))
        result.replace(with: .infinity, where: input .== .infinity)
        result.replace(with: .nan, where: .!(input .>= 0))
        result.replace(with: -.infinity, where: input .== 0)
        return result
    }

    /// `log` for lanes known to be positive, finite and normal, where none of its special cases
    /// applies.
    @inline(__always)
    static func logOfNormal(_ input: Vector) -> Vector {
        let bits = unsafeBitCast(input, to: SIMD8<Int32>.self)
        let biasedExponent = (bits &>> 23) & 0xff
        var e = Vector(biasedExponent &- 126)
        let mantissaBits = (bits & Int32(bitPattern: ~0x7f80_0000)) | 0x3f00_0000
        var x = unsafeBitCast(mantissaBits, to: Vector.self)
        // x < sqrt(1/2), compared as the integers of these positive floats.
        let small = mantissaBits .< SIMD8<Int32>(repeating: Int32(bitPattern: Float(0.707106781186547524).bitPattern))
        let twice = Vector().replacing(with: x, where: small)
        x = x - 1
        e = e - Vector().replacing(with: 1, where: small)
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
    package static func logistic(_ x: Vector) -> Vector {
        let v = minimum(maximum(x, Vector(repeating: -18)), Vector(repeating: 18))
        let x2 = v * v
        var p = Vector(repeating: 1.15627324459942e-07).addingProduct(x2, Vector(repeating: 4.37031012579801e-11))
        p = Vector(repeating: 6.08574864600143e-05).addingProduct(x2, p)
        p = Vector(repeating: 8.51377133304701e-03).addingProduct(x2, p)
        p = Vector(repeating: 2.48287947061529e-01).addingProduct(x2, p)
        var q = Vector(repeating: 5.76102136993427e-09).addingProduct(x2, Vector(repeating: 6.10247389755681e-13))
        q = Vector(repeating: 6.29106785017040e-06).addingProduct(x2, q)
        q = Vector(repeating: 1.70198817374094e-03).addingProduct(x2, q)
        q = Vector(repeating: 1.16817656904453e-01).addingProduct(x2, q)
        q = Vector(repeating: 9.93151921023180e-01).addingProduct(x2, q)
        return maximum(v * p / q + 0.5, Vector(repeating: 0))
    }

    @inline(__always)
    package static func tanh(_ x: Vector) -> Vector {
        let v = minimum(maximum(x, Vector(repeating: -9)), Vector(repeating: 9))
        let x2 = v * v
        var p = Vector(repeating: 2.00018790482477e-13).addingProduct(x2, Vector(repeating: -2.76076847742355e-16))
        p = Vector(repeating: -8.60467152213735e-11).addingProduct(x2, p)
        p = Vector(repeating: 5.12229709037114e-08).addingProduct(x2, p)
        p = Vector(repeating: 1.48572235717979e-05).addingProduct(x2, p)
        p = Vector(repeating: 6.37261928875436e-04).addingProduct(x2, p)
        p = Vector(repeating: 4.89352455891786e-03).addingProduct(x2, p)
        var q = Vector(repeating: 1.18534705686654e-04).addingProduct(x2, Vector(repeating: 1.19825839466702e-06))
        q = Vector(repeating: 2.26843463243900e-03).addingProduct(x2, q)
        q = Vector(repeating: 4.89352518554385e-03).addingProduct(x2, q)
        return v * p / q
    }
}

private extension SIMD8 where Scalar == Float {
    @inline(__always) init(bitPattern: SIMD8<UInt32>) { self = unsafeBitCast(bitPattern, to: SIMD8<Float>.self) }
    @inline(__always) var bitPattern: SIMD8<UInt32> { unsafeBitCast(self, to: SIMD8<UInt32>.self) }
}
