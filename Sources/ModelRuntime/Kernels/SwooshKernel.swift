import _Builtin_intrinsics.intel

/// zipformer's Swoosh activations, log(1 + exp(x - offset)) - slope·x - shift, in one pass that keeps
/// every intermediate in registers. The ONNX export spells them as a chain of 8 or 12 elementwise
/// operators; this kernel runs the same operations on each lane in the same order, so its output
/// equals the chain's bit for bit (`SwooshSelection` builds it from a matched chain).
///
/// Vectors whose exponent arguments lie in (-87, 87) take `expInNormalRange` and `logOfNormal`,
/// which skip clamps and special cases that cannot apply there; any other vector (NaN, huge
/// values) takes the full functions.
final class SwooshKernel: Kernel {
    enum Form: Equatable {
        /// ((max(floor, s) + log(one + exp(-|floor - s|))) - x·slope) - shift, s = x - offset:
        /// the overflow-free form of the convolutional front end.
        case stable(floor: Float)
        /// ((log(exp(s) + one) where finite, else s) - x·slope) - shift, s = x - offset: the
        /// encoder layers' form.
        case clamped
    }

    let count: Int
    let form: Form
    let offset: Float
    let slope: Float
    let shift: Float

    /// The chain adds exactly 1 to the exponential (`SwooshSelection` checks), which keeps the
    /// logarithm's argument positive and finite whenever the exponential's is in range.
    init(count: Int, form: Form, offset: Float, slope: Float, shift: Float) {
        self.count = count
        self.form = form
        self.offset = offset
        self.slope = slope
        self.shift = shift
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        switch form {
        case .stable(let floor): run(x, y, Stable(offset: offset, floor: floor, slope: slope, shift: shift))
        case .clamped: run(x, y, Clamped(offset: offset, slope: slope, shift: shift))
        }
    }

    @inline(__always)
    private func run<F: LaneFunction>(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ function: F) {
        let whole = count / 8
        // Two vectors at a time: each one's exp and log is a long dependency chain, and two
        // independent chains side by side keep more of the FMA and divide units busy.
        var v = 0
        while v + 3 < whole {
            let a = UnsafeRawPointer(x + v &* 8).loadUnaligned(as: VectorMath.Vector.self)
            let b = UnsafeRawPointer(x + (v &* 8 &+ 8)).loadUnaligned(as: VectorMath.Vector.self)
            let c = UnsafeRawPointer(x + (v &* 8 &+ 16)).loadUnaligned(as: VectorMath.Vector.self)
            let d = UnsafeRawPointer(x + (v &* 8 &+ 24)).loadUnaligned(as: VectorMath.Vector.self)
            let (ya, yb, yc, yd) = function.apply(a, b, c, d)
            UnsafeMutableRawPointer(y + v &* 8).storeBytes(of: ya, as: VectorMath.Vector.self)
            UnsafeMutableRawPointer(y + (v &* 8 &+ 8)).storeBytes(of: yb, as: VectorMath.Vector.self)
            UnsafeMutableRawPointer(y + (v &* 8 &+ 16)).storeBytes(of: yc, as: VectorMath.Vector.self)
            UnsafeMutableRawPointer(y + (v &* 8 &+ 24)).storeBytes(of: yd, as: VectorMath.Vector.self)
            v += 4
        }
        while v + 1 < whole {
            let a = UnsafeRawPointer(x + v &* 8).loadUnaligned(as: VectorMath.Vector.self)
            let b = UnsafeRawPointer(x + (v &* 8 &+ 8)).loadUnaligned(as: VectorMath.Vector.self)
            let (ya, yb) = function.apply(a, b)
            UnsafeMutableRawPointer(y + v &* 8).storeBytes(of: ya, as: VectorMath.Vector.self)
            UnsafeMutableRawPointer(y + (v &* 8 &+ 8)).storeBytes(of: yb, as: VectorMath.Vector.self)
            v += 2
        }
        if v < whole {
            let value = UnsafeRawPointer(x + v &* 8).loadUnaligned(as: VectorMath.Vector.self)
            UnsafeMutableRawPointer(y + v &* 8).storeBytes(of: function.apply(value), as: VectorMath.Vector.self)
        }
        let rest = count - whole * 8
        guard rest > 0 else { return }
        var tail = VectorMath.Vector(repeating: 0)
        for i in 0..<rest { tail[i] = x[whole * 8 + i] }
        let result = function.apply(tail)
        for i in 0..<rest { y[whole * 8 + i] = result[i] }
    }
}

private protocol LaneFunction {
    func apply(_ x: VectorMath.Vector) -> VectorMath.Vector
    /// `apply` on two vectors, computed side by side.
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> (VectorMath.Vector, VectorMath.Vector)
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector, _ c: VectorMath.Vector, _ d: VectorMath.Vector)
        -> (VectorMath.Vector, VectorMath.Vector, VectorMath.Vector, VectorMath.Vector)
}

extension LaneFunction {
    @inline(__always)
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector, _ c: VectorMath.Vector, _ d: VectorMath.Vector)
        -> (VectorMath.Vector, VectorMath.Vector, VectorMath.Vector, VectorMath.Vector) {
        let (ya, yb) = apply(a, b), (yc, yd) = apply(c, d)
        return (ya, yb, yc, yd)
    }
}

// The lane functions use AVX intrinsics for the simple steps: Swift's generic SIMD8 operators
// (max, masks, negation) can compile here to per-lane branches on 4-lane halves.

/// |x| - 87 lane by lane: negative exactly where |x| < 87 (NaN lanes give a NaN with the sign clear).
@inline(__always)
private func distanceBelow87(_ magnitude: VectorMath.Vector) -> VectorMath.Vector {
    _mm256_sub_ps(magnitude, VectorMath.Vector(repeating: 87))
}

/// True when every lane of `x` has its sign bit set.
@inline(__always)
private func allNegative(_ x: VectorMath.Vector) -> Bool { _mm256_movemask_ps(x) == 0xFF }

/// True when every lane's magnitude is below 87 (false for NaN lanes).
@inline(__always)
private func allLanesBelow87(_ magnitude: VectorMath.Vector) -> Bool { allNegative(distanceBelow87(magnitude)) }

private struct Stable: LaneFunction {
    let offset: VectorMath.Vector, floor: VectorMath.Vector, slope: VectorMath.Vector, shift: VectorMath.Vector

    init(offset: Float, floor: Float, slope: Float, shift: Float) {
        self.offset = .init(repeating: offset)
        self.floor = .init(repeating: floor)
        self.slope = .init(repeating: slope)
        self.shift = .init(repeating: shift)
    }

    @inline(__always)
    func apply(_ x: VectorMath.Vector) -> VectorMath.Vector {
        let signBit = VectorMath.Vector(repeating: -0.0)
        let s = _mm256_sub_ps(x, offset)
        // max(floor, s) is s >= floor ? s : floor; maxps(s, floor) differs only when s and floor are
        // zeros of opposite sign, and the sum below (with softplus >= +0) is then +0 either way.
        let larger = _mm256_max_ps(s, floor)
        let magnitude = _mm256_andnot_ps(signBit, _mm256_sub_ps(floor, s))
        let exponent = _mm256_xor_ps(magnitude, signBit)
        let softplus: VectorMath.Vector
        if allLanesBelow87(magnitude) {
            // exp of (-87, 0] is in (0, 1], so 1 + it is in [1, 2]: positive and normal.
            softplus = VectorMath.logOfNormal(_mm256_add_ps(VectorMath.Vector(repeating: 1), VectorMath.expInNormalRange(exponent)))
        } else {
            softplus = VectorMath.log(1 + VectorMath.exp(exponent))
        }
        return _mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(larger, softplus), _mm256_mul_ps(x, slope)), shift)
    }

    @inline(__always)
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> (VectorMath.Vector, VectorMath.Vector) {
        let signBit = VectorMath.Vector(repeating: -0.0), one = VectorMath.Vector(repeating: 1)
        let sa = _mm256_sub_ps(a, offset), sb = _mm256_sub_ps(b, offset)
        let magnitudeA = _mm256_andnot_ps(signBit, _mm256_sub_ps(floor, sa))
        let magnitudeB = _mm256_andnot_ps(signBit, _mm256_sub_ps(floor, sb))
        guard allLanesBelow87(magnitudeA) && allLanesBelow87(magnitudeB) else { return (apply(a), apply(b)) }
        let ea = VectorMath.expInNormalRange(_mm256_xor_ps(magnitudeA, signBit))
        let eb = VectorMath.expInNormalRange(_mm256_xor_ps(magnitudeB, signBit))
        let softplusA = VectorMath.logOfNormal(_mm256_add_ps(one, ea))
        let softplusB = VectorMath.logOfNormal(_mm256_add_ps(one, eb))
        return (_mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(_mm256_max_ps(sa, floor), softplusA), _mm256_mul_ps(a, slope)), shift),
                _mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(_mm256_max_ps(sb, floor), softplusB), _mm256_mul_ps(b, slope)), shift))
    }

    @inline(__always)
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector, _ c: VectorMath.Vector, _ d: VectorMath.Vector)
        -> (VectorMath.Vector, VectorMath.Vector, VectorMath.Vector, VectorMath.Vector) {
        let signBit = VectorMath.Vector(repeating: -0.0), one = VectorMath.Vector(repeating: 1)
        let sa = _mm256_sub_ps(a, offset), sb = _mm256_sub_ps(b, offset)
        let sc = _mm256_sub_ps(c, offset), sd = _mm256_sub_ps(d, offset)
        let ma = _mm256_andnot_ps(signBit, _mm256_sub_ps(floor, sa)), mb = _mm256_andnot_ps(signBit, _mm256_sub_ps(floor, sb))
        let mc = _mm256_andnot_ps(signBit, _mm256_sub_ps(floor, sc)), md = _mm256_andnot_ps(signBit, _mm256_sub_ps(floor, sd))
        // The sign bits of the ANDed distances are all set only if every vector is in range.
        let distances = _mm256_and_ps(_mm256_and_ps(distanceBelow87(ma), distanceBelow87(mb)),
                                      _mm256_and_ps(distanceBelow87(mc), distanceBelow87(md)))
        guard allNegative(distances) else {
            let (ya, yb) = apply(a, b), (yc, yd) = apply(c, d)
            return (ya, yb, yc, yd)
        }
        let ea = VectorMath.expInNormalRange(_mm256_xor_ps(ma, signBit)), eb = VectorMath.expInNormalRange(_mm256_xor_ps(mb, signBit))
        let ec = VectorMath.expInNormalRange(_mm256_xor_ps(mc, signBit)), ed = VectorMath.expInNormalRange(_mm256_xor_ps(md, signBit))
        let pa = VectorMath.logOfNormal(_mm256_add_ps(one, ea)), pb = VectorMath.logOfNormal(_mm256_add_ps(one, eb))
        let pc = VectorMath.logOfNormal(_mm256_add_ps(one, ec)), pd = VectorMath.logOfNormal(_mm256_add_ps(one, ed))
        return (_mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(_mm256_max_ps(sa, floor), pa), _mm256_mul_ps(a, slope)), shift),
                _mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(_mm256_max_ps(sb, floor), pb), _mm256_mul_ps(b, slope)), shift),
                _mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(_mm256_max_ps(sc, floor), pc), _mm256_mul_ps(c, slope)), shift),
                _mm256_sub_ps(_mm256_sub_ps(_mm256_add_ps(_mm256_max_ps(sd, floor), pd), _mm256_mul_ps(d, slope)), shift))
    }
}

private struct Clamped: LaneFunction {
    let offset: VectorMath.Vector, slope: VectorMath.Vector, shift: VectorMath.Vector

    init(offset: Float, slope: Float, shift: Float) {
        self.offset = .init(repeating: offset)
        self.slope = .init(repeating: slope)
        self.shift = .init(repeating: shift)
    }

    @inline(__always)
    func apply(_ x: VectorMath.Vector) -> VectorMath.Vector {
        let signBit = VectorMath.Vector(repeating: -0.0)
        let s = _mm256_sub_ps(x, offset)
        let softplus: VectorMath.Vector
        if allLanesBelow87(_mm256_andnot_ps(signBit, s)) {
            // exp(s) + 1 is in [1, 6e37]: its log is finite, so the infinity replacement never applies.
            softplus = VectorMath.logOfNormal(_mm256_add_ps(VectorMath.expInNormalRange(s), VectorMath.Vector(repeating: 1)))
        } else {
            let log = VectorMath.log(VectorMath.exp(s) + 1)
            softplus = log.replacing(with: s, where: log .== .infinity)
        }
        return _mm256_sub_ps(_mm256_sub_ps(softplus, _mm256_mul_ps(x, slope)), shift)
    }

    @inline(__always)
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> (VectorMath.Vector, VectorMath.Vector) {
        let signBit = VectorMath.Vector(repeating: -0.0), one = VectorMath.Vector(repeating: 1)
        let sa = _mm256_sub_ps(a, offset), sb = _mm256_sub_ps(b, offset)
        guard allLanesBelow87(_mm256_andnot_ps(signBit, sa)) && allLanesBelow87(_mm256_andnot_ps(signBit, sb)) else {
            return (apply(a), apply(b))
        }
        let ea = VectorMath.expInNormalRange(sa), eb = VectorMath.expInNormalRange(sb)
        let softplusA = VectorMath.logOfNormal(_mm256_add_ps(ea, one)), softplusB = VectorMath.logOfNormal(_mm256_add_ps(eb, one))
        return (_mm256_sub_ps(_mm256_sub_ps(softplusA, _mm256_mul_ps(a, slope)), shift),
                _mm256_sub_ps(_mm256_sub_ps(softplusB, _mm256_mul_ps(b, slope)), shift))
    }
}
