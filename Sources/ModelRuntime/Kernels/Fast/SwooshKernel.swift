import CKernels

/// zipformer's Swoosh activations, log(1 + exp(x - offset)) - slope·x - shift, in one pass that keeps
/// every intermediate in registers. The ONNX export spells them as a chain of 8 or 12 elementwise
/// operators; this kernel runs the same operations on each lane in the same order, so its output
/// equals the chain's bit for bit (`SwooshSelection` builds it from a matched chain).
///
/// Vectors whose exponent arguments lie in (-87, 87) take `expInNormalRange` and `logOfNormal`,
/// which skip clamps and special cases that cannot apply there; any other vector (NaN, huge
/// values) takes the full functions. The AVX2 kernel set runs the same loop in C
/// (`asr_avx2_swoosh_*`, and `asr_avx512_swoosh_*` on 16 lanes where the CPU has AVX512F).
package final class SwooshKernel: Kernel {
    let count: Int
    let form: SwooshForm
    let offset: Float
    let slope: Float
    let shift: Float

    /// The chain adds exactly 1 to the exponential (`SwooshSelection` checks), which keeps the
    /// logarithm's argument positive and finite whenever the exponential's is in range.
    package init(count: Int, form: SwooshForm, offset: Float, slope: Float, shift: Float) {
        self.count = count
        self.form = form
        self.offset = offset
        self.slope = slope
        self.shift = shift
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        apply(x, to: y, count: count)
    }

    /// The activation of `count` values; `y` may be `x` (each vector is loaded before it is stored),
    /// which is how a convolution applies it to an output block it just wrote (`ConvActivationFusion`).
    package func apply(_ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int, kernels: KernelSet = .active) {
        #if arch(x86_64)
        if kernels == .avx2 {
            switch (form, KernelSet.hasAVX512F) {
            case (.stable(let floor), false): asr_avx2_swoosh_stable(x, y, count, offset, floor, slope, shift)
            case (.stable(let floor), true): asr_avx512_swoosh_stable(x, y, count, offset, floor, slope, shift)
            case (.clamped, false): asr_avx2_swoosh_clamped(x, y, count, offset, slope, shift)
            case (.clamped, true): asr_avx512_swoosh_clamped(x, y, count, offset, slope, shift)
            }
            return
        }
        #endif
        switch form {
        case .stable(let floor): apply(x, y, count: count, Stable(offset: offset, floor: floor, slope: slope, shift: shift))
        case .clamped: apply(x, y, count: count, Clamped(offset: offset, slope: slope, shift: shift))
        }
    }

    @inline(__always)
    private func apply<F: LaneFunction>(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, _ function: F) {
        @inline(__always) func load(_ vector: Int) -> VectorMath.Vector {
            UnsafeRawPointer(x + vector &* 8).loadUnaligned(as: VectorMath.Vector.self)
        }
        @inline(__always) func store(_ value: VectorMath.Vector, _ vector: Int) {
            UnsafeMutableRawPointer(y + vector &* 8).storeBytes(of: value, as: VectorMath.Vector.self)
        }
        let whole = count / 8
        // Four, then two vectors at a time: each one's exp and log is a long dependency chain, and
        // independent chains side by side keep more of the FMA and divide units busy.
        var v = 0
        while v + 3 < whole {
            let (ya, yb, yc, yd) = function.apply(load(v), load(v + 1), load(v + 2), load(v + 3))
            store(ya, v); store(yb, v + 1); store(yc, v + 2); store(yd, v + 3)
            v += 4
        }
        while v + 1 < whole {
            let (ya, yb) = function.apply(load(v), load(v + 1))
            store(ya, v); store(yb, v + 1)
            v += 2
        }
        if v < whole { store(function.apply(load(v)), v) }
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

/// |x| - 87 lane by lane: negative exactly where |x| < 87 (NaN lanes give a NaN with the sign clear).
@inline(__always)
private func distanceBelow87(_ magnitude: VectorMath.Vector) -> VectorMath.Vector {
    magnitude - 87
}

/// True when every lane of `x` has its sign bit set.
@inline(__always)
private func allNegative(_ x: VectorMath.Vector) -> Bool { all(unsafeBitCast(x, to: SIMD8<Int32>.self) .< 0) }

/// True when every lane's magnitude is below 87 (false for NaN lanes).
@inline(__always)
private func allLanesBelow87(_ magnitude: VectorMath.Vector) -> Bool { allNegative(distanceBelow87(magnitude)) }

private struct Stable: LaneFunction {
    let offset: VectorMath.Vector, floor: VectorMath.Vector, slope: VectorMath.Vector, shift: VectorMath.Vector
    let one = VectorMath.Vector(repeating: 1)

    init(offset: Float, floor: Float, slope: Float, shift: Float) {
        self.offset = .init(repeating: offset)
        self.floor = .init(repeating: floor)
        self.slope = .init(repeating: slope)
        self.shift = .init(repeating: shift)
    }

    /// |floor - s|; the exponential's argument is its negation.
    @inline(__always)
    func distance(_ s: VectorMath.Vector) -> VectorMath.Vector { VectorMath.magnitude(floor - s) }

    /// (max(floor, s) + softplus - x·slope) - shift. max(floor, s) is s >= floor ? s : floor;
    /// s > floor ? s : floor (x86's `maxps(s, floor)`) differs only when s and floor are zeros of
    /// opposite sign, and the sum (with softplus >= +0) is then +0 either way.
    @inline(__always)
    func output(_ x: VectorMath.Vector, _ s: VectorMath.Vector, _ softplus: VectorMath.Vector) -> VectorMath.Vector {
        ((floor.replacing(with: s, where: s .> floor) + softplus) - x * slope) - shift
    }

    /// exp(-distance) for vectors whose distances are all below 87.
    @inline(__always)
    func exponentialInRange(_ distance: VectorMath.Vector) -> VectorMath.Vector {
        VectorMath.expInNormalRange(-distance)
    }

    /// log(1 + e) for e = `exponentialInRange(_:)`: exp of (-87, 0] is in (0, 1], so 1 + it is in
    /// [1, 2], positive and normal.
    @inline(__always)
    func softplus(exponential e: VectorMath.Vector) -> VectorMath.Vector { VectorMath.logOfNormal(one + e) }

    @inline(__always)
    func apply(_ x: VectorMath.Vector) -> VectorMath.Vector {
        let s = x - offset, d = distance(s)
        let softplus = allLanesBelow87(d) ? softplus(exponential: exponentialInRange(d))
            : VectorMath.log(1 + VectorMath.exp(-d))
        return output(x, s, softplus)
    }

    @inline(__always)
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> (VectorMath.Vector, VectorMath.Vector) {
        let sa = a - offset, sb = b - offset
        let da = distance(sa), db = distance(sb)
        guard allLanesBelow87(da) && allLanesBelow87(db) else { return (apply(a), apply(b)) }
        // All exponentials first, then all logarithms: the compiler keeps this order, and the
        // independent chains then overlap.
        let ea = exponentialInRange(da), eb = exponentialInRange(db)
        return (output(a, sa, softplus(exponential: ea)), output(b, sb, softplus(exponential: eb)))
    }

    @inline(__always)
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector, _ c: VectorMath.Vector, _ d: VectorMath.Vector)
        -> (VectorMath.Vector, VectorMath.Vector, VectorMath.Vector, VectorMath.Vector) {
        let sa = a - offset, sb = b - offset
        let sc = c - offset, sd = d - offset
        let da = distance(sa), db = distance(sb), dc = distance(sc), dd = distance(sd)
        // The sign bits of the ANDed distances to 87 are all set only if every vector is in range.
        guard allLanesBelow87(da) && allLanesBelow87(db) && allLanesBelow87(dc) && allLanesBelow87(dd) else {
            let (ya, yb) = apply(a, b), (yc, yd) = apply(c, d)
            return (ya, yb, yc, yd)
        }
        let ea = exponentialInRange(da), eb = exponentialInRange(db), ec = exponentialInRange(dc), ed = exponentialInRange(dd)
        let pa = softplus(exponential: ea), pb = softplus(exponential: eb)
        let pc = softplus(exponential: ec), pd = softplus(exponential: ed)
        return (output(a, sa, pa), output(b, sb, pb), output(c, sc, pc), output(d, sd, pd))
    }
}

private struct Clamped: LaneFunction {
    let offset: VectorMath.Vector, slope: VectorMath.Vector, shift: VectorMath.Vector
    let one = VectorMath.Vector(repeating: 1)

    init(offset: Float, slope: Float, shift: Float) {
        self.offset = .init(repeating: offset)
        self.slope = .init(repeating: slope)
        self.shift = .init(repeating: shift)
    }

    /// (softplus - x·slope) - shift.
    @inline(__always)
    func output(_ x: VectorMath.Vector, _ softplus: VectorMath.Vector) -> VectorMath.Vector {
        (softplus - x * slope) - shift
    }

    /// log(e + 1) for e = exp(s) of vectors whose |s| are all below 87: e + 1 is in [1, 6e37], so
    /// the log is finite and the infinity replacement never applies.
    @inline(__always)
    func softplus(exponential e: VectorMath.Vector) -> VectorMath.Vector { VectorMath.logOfNormal(e + one) }

    @inline(__always)
    func apply(_ x: VectorMath.Vector) -> VectorMath.Vector {
        let s = x - offset
        if allLanesBelow87(VectorMath.magnitude(s)) { return output(x, softplus(exponential: VectorMath.expInNormalRange(s))) }
        let log = VectorMath.log(VectorMath.exp(s) + 1)
        return output(x, log.replacing(with: s, where: log .== .infinity))
    }

    @inline(__always)
    func apply(_ a: VectorMath.Vector, _ b: VectorMath.Vector) -> (VectorMath.Vector, VectorMath.Vector) {
        let sa = a - offset, sb = b - offset
        guard allLanesBelow87(VectorMath.magnitude(sa)) && allLanesBelow87(VectorMath.magnitude(sb)) else {
            return (apply(a), apply(b))
        }
        let ea = VectorMath.expInNormalRange(sa), eb = VectorMath.expInNormalRange(sb)
        return (output(a, softplus(exponential: ea)), output(b, softplus(exponential: eb)))
    }
}
