#if arch(x86_64)
import CKernels
#endif

/// Four activation rows (the unused ones may repeat a used one).
package typealias RowPointers = (UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>)

/// The SIMD kernels of the fused int8 linear operator.
package enum Int8Linear {
    /// Whether the CPU has AVX512-VNNI (checked once) and the AVX2 kernel set runs: the products
    /// then run in `asr_u8s8_product_vnni`.
    static let hasVNNI: Bool = {
        #if arch(x86_64)
        return KernelSet.active == .avx2 && asr_cpu_has_avx512_vnni() != 0
        #else
        return false
        #endif
    }()

    /// Whether the CPU has AMX-INT8 too and Linux grants this process its tiles (asked once): the
    /// products then run in `asr_u8s8_product_amx`, with the same int32 sums as VNNI's.
    static let hasAMX: Bool = {
        #if arch(x86_64)
        return hasVNNI && asr_cpu_enable_amx_int8() != 0
        #else
        return false
        #endif
    }()

    /// The smallest product (rows x padded K x padded N) that runs on AMX tiles: below it, setting
    /// up the tiles costs more than the product (measured on a Xeon with AMX, docs/measurements.md).
    static let amxMinimumProducts = 1 << 15

    /// Whether some column of W [K, N] has a pair of weights (rows 2i, 2i+1) whose products with two
    /// uint8 activations can leave int16: 255 * (sum of the pair's positive, or negative, weights) > 32767.
    static func canSaturatePairs(_ weights: UnsafePointer<Int8>, k: Int, n: Int) -> Bool {
        var pair = 0
        while pair + 1 < k {
            for column in 0..<n {
                let w0 = Int(weights[pair * n + column]), w1 = Int(weights[(pair + 1) * n + column])
                if 255 * (Swift.max(w0, 0) + Swift.max(w1, 0)) > 32767 || 255 * (Swift.max(-w0, 0) + Swift.max(-w1, 0)) > 32767 {
                    return true
                }
            }
            pair += 2
        }
        return false
    }

    /// Splits each activation into its top bit (into `high`, as 0 or 1) and its low 7 bits (kept in place).
    static func splitTopBit(_ q: UnsafeMutablePointer<UInt8>, count: Int, into high: UnsafeMutablePointer<UInt8>) {
        for i in 0..<count {
            high[i] = q[i] >> 7
            q[i] &= 0x7F
        }
    }

    /// Packs W [k, n] (row-major) into zeroed `packed` as the products read it: blocks of 8 columns
    /// in interleaved pairs, [block / 2][paddedK / 4][2][8][4], each column's four weights of a quad
    /// of K side by side. The AVX2 kernel set transposes 4 x 16 bytes per step; the portable path
    /// writes byte by byte, pair by pair, so the packed bytes are written in order.
    package static func pack(_ weights: UnsafePointer<Int8>, k: Int, n: Int, paddedK: Int, into packed: UnsafeMutablePointer<Int8>,
                             kernels: KernelSet = .active) {
        #if arch(x86_64)
        if kernels == .avx2 { return asr_avx2_pack_int8_pairs(weights, k, n, paddedK, packed) }
        #endif
        for pair in 0..<((n + 15) / 16) {
            let target = packed + pair * paddedK * 16
            for inner in 0..<k {
                let source = weights + inner * n
                let quad = target + (inner >> 2) * 64 + (inner & 3)
                for lane in 0..<Swift.min(16, n - pair * 16) { quad[lane * 4] = source[pair * 16 + lane] }
            }
        }
    }

    package typealias RowSums = (SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>)

    /// Up to four output rows against one pair of 8-column blocks (`pair`: [K / 4][2][8][4]), as AVX2 sums them (the portable
    /// path; the AVX2 kernel set runs `asr_avx2_u8s8_product`, the same sums in C): for each column,
    /// the products of each pair of activations (K = 2i, 2i + 1) with its weights are added and
    /// saturated to int16 (`vpmaddubsw`), then the two pair sums of each quad are added in int32
    /// (`vpmaddwd` with ones). `rows` is 1...4; the unused row pointers may repeat a used one.
    ///
    /// With `high`, activations arrive split into their low 7 bits (`a`) and top bits (`high`,
    /// 0 or 1): no pair sum can then saturate, and the result is the exact sum of the products.
    @inline(__always)
    package static func multiplyRows(_ rows: Int, _ a: RowPointers, high: RowPointers? = nil, quads: Int,
                             pair: UnsafeRawPointer, kernels: KernelSet = .active) -> RowSums {
        var s0 = SIMD8<Int32>(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
        for quad in 0..<quads {
            // Each int32 word holds one column's four weights (K = 4 quad ... 4 quad + 3).
            let first = pair.loadUnaligned(fromByteOffset: quad &* 64, as: SIMD8<Int32>.self)
            let second = pair.loadUnaligned(fromByteOffset: quad &* 64 &+ 32, as: SIMD8<Int32>.self)
            @inline(__always) func row(_ low: UnsafePointer<UInt8>, _ top: UnsafePointer<UInt8>?) -> (SIMD8<Int32>, SIMD8<Int32>) {
                let x = activations(low, top, quad)
                return (quadSums(x, first, saturating: top == nil), quadSums(x, second, saturating: top == nil))
            }
            let (p0, q0) = row(a.0, high?.0)
            s0 = s0 &+ p0; s1 = s1 &+ q0
            if rows > 1 { let (p, q) = row(a.1, high?.1); s2 = s2 &+ p; s3 = s3 &+ q }
            if rows > 2 { let (p, q) = row(a.2, high?.2); s4 = s4 &+ p; s5 = s5 &+ q }
            if rows > 3 { let (p, q) = row(a.3, high?.3); s6 = s6 &+ p; s7 = s7 &+ q }
        }
        return (s0, s1, s2, s3, s4, s5, s6, s7)
    }

    /// The quad of activations `quad` of a row (with its top bits added back when split).
    @inline(__always)
    private static func activations(_ low: UnsafePointer<UInt8>, _ top: UnsafePointer<UInt8>?, _ quad: Int)
        -> (Int32, Int32, Int32, Int32) {
        let at = quad &* 4
        guard let top else { return (Int32(low[at]), Int32(low[at &+ 1]), Int32(low[at &+ 2]), Int32(low[at &+ 3])) }
        return (Int32(low[at]) &+ Int32(top[at]) &* 128, Int32(low[at &+ 1]) &+ Int32(top[at &+ 1]) &* 128,
                Int32(low[at &+ 2]) &+ Int32(top[at &+ 2]) &* 128, Int32(low[at &+ 3]) &+ Int32(top[at &+ 3]) &* 128)
    }

    /// Per column (one int32 word of four int8 weights, K order from its low byte): the sum of its
    /// two pair sums, each saturated to int16 if asked.
    @inline(__always)
    private static func quadSums(_ x: (Int32, Int32, Int32, Int32), _ words: SIMD8<Int32>, saturating: Bool) -> SIMD8<Int32> {
        let w0 = (words &<< 24) &>> 24, w1 = (words &<< 16) &>> 24, w2 = (words &<< 8) &>> 24, w3 = words &>> 24
        var first = w0 &* x.0 &+ w1 &* x.1, second = w2 &* x.2 &+ w3 &* x.3
        if saturating {
            let lowest = SIMD8<Int32>(repeating: -32768), highest = SIMD8<Int32>(repeating: 32767)
            first = first.clamped(lowerBound: lowest, upperBound: highest)
            second = second.clamped(lowerBound: lowest, upperBound: highest)
        }
        return first &+ second
    }

    /// DynamicQuantizeLinear's rounding, 8 lanes at a time: clamp(round-half-even(x / scale)) + zero
    /// point, into 0...levels (255 as onnxruntime; 127 for the per-row scheme).
    @inline(__always)
    static func quantize(_ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: UInt8, levels: Int32 = 255,
                         into q: UnsafeMutablePointer<UInt8>) {
        let low = -Float(zeroPoint), high = Float(levels) - Float(zeroPoint), zero = Int32(zeroPoint)
        // x / scale lies in [-levels, levels] (the range includes 0 and spans `levels` steps), where adding
        // 1.5 * 2^23 rounds half to even into the low mantissa bits; the generic float-to-integer
        // SIMD conversion would go lane by lane. Clamping to integer bounds commutes with rounding,
        // so it is done on the integers.
        let magic = SIMD8<Float>(repeating: 12_582_912), magicBits = SIMD8<Int32>(repeating: 0x4B40_0000)
        let lowest = SIMD8<Int32>(repeating: -zero), highest = SIMD8<Int32>(repeating: levels - zero)
        var i = 0
        #if arch(x86_64)
        if KernelSet.active == .avx2 { i = asr_avx2_quantize(x, count, scale, zero, levels, q) }
        #endif
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self) / scale
            let rounded = unsafeBitCast(v + magic, to: SIMD8<Int32>.self) &- magicBits
            let r = rounded.clamped(lowerBound: lowest, upperBound: highest) &+ zero
            UnsafeMutableRawPointer(q + i).storeBytes(of: SIMD8<UInt8>(truncatingIfNeeded: r), as: SIMD8<UInt8>.self)
            i += 8
        }
        while i < count {
            // A NaN must not trap: it takes the lowest level (see `DynamicQuantizeLinearKernel.quantize`).
            let ratio = x[i] / scale
            let v = ratio.isNaN ? low : Swift.min(Swift.max(ratio, low), high).rounded(.toNearestOrEven)
            q[i] = UInt8(truncatingIfNeeded: Int32(v) + zero)
            i += 1
        }
    }

    @inline(__always)
    static func store(_ acc: SIMD8<Int32>, zeroPoint: Int32, column: Int, n: Int, columnSums: UnsafePointer<Int32>,
                      outputScale: SIMD8<Float>, bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        let sums = UnsafeRawPointer(columnSums + column).loadUnaligned(as: SIMD8<Int32>.self)
        var value = SIMD8<Float>(acc &- zeroPoint &* sums) * outputScale
        if let bias { value = value + UnsafeRawPointer(bias + column).loadUnaligned(as: SIMD8<Float>.self) }
        if column + 8 <= n {
            UnsafeMutableRawPointer(y + column).storeBytes(of: value, as: SIMD8<Float>.self)
        } else {
            for lane in 0..<(n - column) { y[column + lane] = value[lane] }
        }
    }
}
