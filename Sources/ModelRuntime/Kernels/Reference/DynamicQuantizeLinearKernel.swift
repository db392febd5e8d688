import CKernels

/// DynamicQuantizeLinear as onnxruntime computes it: range widened to include 0,
/// scale = (max - min) / 255, zero point = round-half-even(clamp(-min / scale)), and
/// y = clamp(round-half-even(x / scale), -zp, 255 - zp) + zp.
final class DynamicQuantizeLinearKernel: Kernel {
    let count: Int

    init(count: Int) { self.count = count }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let (scale, zeroPoint) = DynamicQuantizeLinearKernel.parameters(x, count: count)
        DynamicQuantizeLinearKernel.quantize(x, count: count, scale: scale, zeroPoint: zeroPoint,
                                             into: outputs[0].assumingMemoryBound(to: UInt8.self))
        outputs[1].storeBytes(of: scale, as: Float.self)
        outputs[2].storeBytes(of: zeroPoint, as: UInt8.self)
    }

    /// Scale and zero point over `levels` steps (255 for DynamicQuantizeLinear; the load-quantized
    /// linear uses 127, see `FastInt8LinearKernel`).
    static func parameters(_ x: UnsafePointer<Float>, count: Int, levels: Int32 = 255) -> (scale: Float, zeroPoint: UInt8) {
        let (low, high) = range(x, count: count)
        let top = Float(levels)
        let scale: Float = high == low ? 1 : (high - low) / top
        let initial = 0 - low / scale
        let zeroPoint = UInt8(Swift.max(0, Swift.min(top, initial)).rounded(.toNearestOrEven))
        return (scale, zeroPoint)
    }

    /// The smallest and largest of 0 and `x`, ignoring NaN like `Swift.min(low, x[i])` does. 32 lanes
    /// at a time: a NaN lane never compares below or above the running value, which it keeps, and
    /// the order of a min/max reduction does not change its value (the sign of a zero result may
    /// differ, which the scale and zero point do not see).
    @inline(__always)
    static func range(_ x: UnsafePointer<Float>, count: Int) -> (low: Float, high: Float) {
        var i = 0
        var low: Float = 0, high: Float = 0
        #if arch(x86_64)
        if KernelSet.active == .avx2 { i = asr_avx2_range(x, count, &low, &high) }
        #endif
        if count >= 32 && i == 0 {
            // The running value unless v is below (above) it: `vminps`/`vmaxps` on x86.
            @inline(__always) func lower(_ v: SIMD8<Float>, _ l: SIMD8<Float>) -> SIMD8<Float> { l.replacing(with: v, where: v .< l) }
            @inline(__always) func higher(_ v: SIMD8<Float>, _ h: SIMD8<Float>) -> SIMD8<Float> { h.replacing(with: v, where: v .> h) }
            var l0 = SIMD8<Float>(), l1 = l0, l2 = l0, l3 = l0
            var h0 = l0, h1 = l0, h2 = l0, h3 = l0
            let p = UnsafeRawPointer(x)
            while i + 32 <= count {
                let v0 = p.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
                let v1 = p.loadUnaligned(fromByteOffset: i &* 4 &+ 32, as: SIMD8<Float>.self)
                let v2 = p.loadUnaligned(fromByteOffset: i &* 4 &+ 64, as: SIMD8<Float>.self)
                let v3 = p.loadUnaligned(fromByteOffset: i &* 4 &+ 96, as: SIMD8<Float>.self)
                l0 = lower(v0, l0); h0 = higher(v0, h0)
                l1 = lower(v1, l1); h1 = higher(v1, h1)
                l2 = lower(v2, l2); h2 = higher(v2, h2)
                l3 = lower(v3, l3); h3 = higher(v3, h3)
                i &+= 32
            }
            // Neither accumulator holds NaN, so their combination needs no operand order.
            let lows: SIMD8<Float> = lower(lower(l0, l1), lower(l2, l3))
            let highs: SIMD8<Float> = higher(higher(h0, h1), higher(h2, h3))
            low = lows.min()
            high = highs.max()
        }
        while i < count {
            low = Swift.min(low, x[i])
            high = Swift.max(high, x[i])
            i += 1
        }
        return (low, high)
    }

    static func quantize(_ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: UInt8,
                         into y: UnsafeMutablePointer<UInt8>) {
        let low = -Float(zeroPoint), high = 255 - Float(zeroPoint), zero = Int32(zeroPoint)
        for i in 0..<count {
            // A NaN (a non-finite input makes x / scale one) takes the lowest level, as x86's
            // float-to-integer conversion, clamped, gives it in onnxruntime; it must not trap.
            let v = x[i] / scale
            let q = v.isNaN ? low : Swift.min(Swift.max(v, low), high).rounded(.toNearestOrEven)
            y[i] = UInt8(truncatingIfNeeded: Int32(q) + zero)
        }
    }

    static func build(_ context: NodeContext) throws -> KernelPlan {
        _ = try context.requireElement(0, [.float32])
        let input = try context.input(0).type
        return .compute(.dynamicQuantizeLinear(count: input.count),
                        outputs: [TensorType(.uint8, input.shape), TensorType(.float32, []), TensorType(.uint8, [])])
    }
}
