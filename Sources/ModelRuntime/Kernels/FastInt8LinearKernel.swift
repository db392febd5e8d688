import CKernels

/// The fused dynamic-quantization linear operator: y = dequantize(quantize(x) · W) (+ b), int8
/// weights packed once at load, int32 accumulation with `vpmaddubsw` / `vpmaddwd` (AVX2, no VNNI).
///
/// Two quantization schemes share the packing and the integer kernel:
/// - `.perTensor` reproduces onnxruntime's node chain (DynamicQuantizeLinear, MatMulInteger, Cast,
///   Mul, Add) exactly: x [rows, K] is quantized over the whole tensor to uint8 with a zero point,
///   W [K, N] has one scale, the products of each K pair are summed with int16 saturation, and
///   y = Float(acc - zp * colsum) * (x_scale * w_scale) + b, each rounding once.
/// - `.perColumn` is the same chain for a graph quantized per output channel (onnxruntime's
///   `quantize_dynamic(per_channel=True)`): one weight scale per column, x_scale * w_scale[column].
/// - `.perRow` is for fp32 weights quantized at load: each row of x gets its own scale and zero
///   point over 128 levels (0...127), W one scale per output column. Seven-bit activations keep
///   every pair sum within int16 (2 * 127 * 127 < 32768), so `vpmaddubsw` never saturates; with
///   255 levels it does, and the fp32 joiner's logits move by up to 1.6 instead of 0.24.
///   y = Float(acc - zp_row * colsum) * (row_scale * column_scale) + b.
///
/// W is packed once at load in blocks of 8 output channels and quads of K,
/// [block][K / 4][8 channels][4], so one 32-byte load feeds `vpmaddubsw` for 8 channels.
final class FastInt8LinearKernel: Kernel {
    /// Output channels per packed block (the packing below hard-codes it as shifts and masks).
    static let blockWidth = 8

    /// How activations and weights are scaled.
    enum Quantization {
        /// onnxruntime's dynamic quantization: 255 activation levels over the whole input, one weight scale.
        case perTensor(weightScale: Float)
        /// onnxruntime's dynamic quantization of a per-channel graph: 255 activation levels over the
        /// whole input, one weight scale per output column (`weightScales` has N values).
        case perColumn(weightScales: UnsafePointer<Float>)
        /// 128 activation levels per row, one weight scale per output column (`columnScales` has N values).
        case perRow(columnScales: UnsafePointer<Float>)
    }

    /// Activation levels of the per-row scheme: 0...127, so `vpmaddubsw` pair sums cannot saturate.
    static let perRowLevels: Int32 = 127

    let rows: Int, k: Int, n: Int
    /// K rounded up to a multiple of 4: the inner loop reads four inputs at a time.
    let paddedK: Int
    /// Blocks of 8 output channels, rounded up to even: the inner loop walks two at a time.
    let blocks: Int
    /// The per-tensor weight scale; nil in the other schemes.
    let weightScale: Float?
    /// Per output channel (padded, zero past N) in the per-column and per-row schemes, else nil.
    let columnScales: UnsafeMutablePointer<Float>?
    /// Whether activations are quantized per row (else over the whole input, as onnxruntime does).
    let quantizesRows: Bool
    /// [blocks][paddedK / 4][8][4] int8, zero past N and K.
    let packedWeights: UnsafeMutablePointer<Int8>
    /// Per output channel (padded to blocks * 8): sum over K of W, for the activation zero point.
    let columnSums: UnsafeMutablePointer<Int32>
    /// Per output channel (padded), nil without a bias.
    let bias: UnsafeMutablePointer<Float>?
    /// The quantized activations, [rows][paddedK], zero past K.
    let quantized: UnsafeMutablePointer<UInt8>
    /// For exact sums with weights that can saturate a pair: the activations' top bits, [rows][paddedK]
    /// (`quantized` then keeps the low 7 bits), so that each `vpmaddubsw` pair sum fits in int16.
    let highBits: UnsafeMutablePointer<UInt8>?
    /// The int32 products [rows][blocks * 8] when a C kernel computes them: the AVX512-VNNI one where
    /// `usesVNNI`, else the AVX2 one (nil on the portable path, which keeps its sums in registers).
    let productSums: UnsafeMutablePointer<Int32>?
    let usesVNNI: Bool

    /// `weights` is W [K, N] int8 row-major with zero point 0; `bias` has N values. `products` says
    /// how the per-tensor and per-column schemes sum products (the per-row scheme never saturates).
    init(rows: Int, k: Int, n: Int, weights: UnsafePointer<Int8>, quantization: Quantization, bias: UnsafePointer<Float>?,
         products: Int8Products) {
        self.rows = rows; self.k = k; self.n = n
        let width = FastInt8LinearKernel.blockWidth
        paddedK = (k + 3) / 4 * 4
        blocks = ((n + width - 1) / width + 1) / 2 * 2
        let capacity = max(blocks * width, 1)
        func padded(_ scales: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
            let padded = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
            padded.initialize(repeating: 0, count: capacity)
            padded.update(from: scales, count: n)
            return padded
        }
        switch quantization {
        case .perTensor(let scale):
            (weightScale, columnScales, quantizesRows) = (scale, nil, false)
        case .perColumn(let scales):
            (weightScale, columnScales, quantizesRows) = (nil, padded(scales), false)
        case .perRow(let scales):
            (weightScale, columnScales, quantizesRows) = (nil, padded(scales), true)
        }
        packedWeights = .allocate(capacity: max(blocks * paddedK * width, 1))
        packedWeights.initialize(repeating: 0, count: max(blocks * paddedK * width, 1))
        columnSums = .allocate(capacity: max(blocks * width, 1))
        columnSums.initialize(repeating: 0, count: max(blocks * width, 1))
        quantized = .allocate(capacity: max(rows * paddedK, 1))
        quantized.initialize(repeating: 0, count: max(rows * paddedK, 1))
        // Block by block, so the packed bytes are written in order (writing every block for each row
        // of W strides by a block, whose power-of-two sizes make the cache lines collide).
        for block in 0..<((n + 7) / 8) {
            let target = packedWeights + block * paddedK * 8
            let columns = Swift.min(8, n - block * 8)
            let sums = columnSums + block * 8
            for inner in 0..<k {
                let source = weights + inner * n + block * 8
                let quad = target + (inner >> 2) * 32 + (inner & 3)
                for lane in 0..<columns {
                    let w = source[lane]
                    quad[lane * 4] = w
                    sums[lane] &+= Int32(w)
                }
            }
        }
        if let bias {
            let padded = UnsafeMutablePointer<Float>.allocate(capacity: max(blocks * width, 1))
            padded.initialize(repeating: 0, count: max(blocks * width, 1))
            padded.update(from: bias, count: n)
            self.bias = padded
        } else {
            self.bias = nil
        }
        // With VNNI every product reaches the int32 sum exactly: right for exact sums, and for the
        // other schemes wherever no weight pair can saturate. Without it, exact sums need the split
        // path only where some weight pair can saturate a pair sum.
        let saturationMatters = !quantizesRows && Int8Linear.canSaturatePairs(weights, k: k, n: n)
        usesVNNI = Int8Linear.hasVNNI && (products == .exact || !saturationMatters)
        if usesVNNI || KernelSet.active == .avx2 {
            productSums = .allocate(capacity: max(rows * blocks * width, 1))
            productSums!.initialize(repeating: 0, count: max(rows * blocks * width, 1))
        } else {
            productSums = nil
        }
        if !usesVNNI && products == .exact && saturationMatters {
            highBits = .allocate(capacity: max(rows * paddedK, 1))
            highBits!.initialize(repeating: 0, count: max(rows * paddedK, 1))
        } else {
            highBits = nil
        }
        // Per-row scales and zero points, filled at each run.
        rowScales = .allocate(capacity: max(rows, 1))
        rowScales.initialize(repeating: 1, count: max(rows, 1))
        rowZeroPoints = .allocate(capacity: max(rows, 1))
        rowZeroPoints.initialize(repeating: 0, count: max(rows, 1))
    }

    /// The current run's activation scale and zero point of each row (the per-tensor scheme repeats one).
    let rowScales: UnsafeMutablePointer<Float>
    let rowZeroPoints: UnsafeMutablePointer<Int32>

    deinit {
        packedWeights.deallocate()
        columnSums.deallocate()
        columnScales?.deallocate()
        bias?.deallocate()
        quantized.deallocate()
        highBits?.deallocate()
        productSums?.deallocate()
        rowScales.deallocate()
        rowZeroPoints.deallocate()
    }

    var ownedBytes: Int {
        let width = FastInt8LinearKernel.blockWidth
        let perChannel = 4 + (bias == nil ? 0 : 4) + (columnScales == nil ? 0 : 4)
        return blocks * paddedK * width + blocks * width * perChannel + rows * paddedK * (highBits == nil ? 1 : 2) + max(rows, 1) * 8
            + (productSums == nil ? 0 : rows * blocks * width * 4)
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        if !quantizesRows {
            let (scale, zeroPoint) = DynamicQuantizeLinearKernel.parameters(x, count: rows * k)
            for row in 0..<rows {
                Int8Linear.quantize(x + row * k, count: k, scale: scale, zeroPoint: zeroPoint, into: quantized + row * paddedK)
            }
            if let highBits { Int8Linear.splitTopBit(quantized, count: rows * paddedK, into: highBits) }
            // onnxruntime multiplies the two scales in float, then the converted accumulator by that product.
            if let weightScale {
                multiply(into: y, zeroPoint: { _ in Int32(zeroPoint) }, scales: { _, _ in SIMD8(repeating: scale * weightScale) })
            } else if let columnScales {
                multiply(into: y, zeroPoint: { _ in Int32(zeroPoint) }, scales: { _, column in
                    SIMD8(repeating: scale) * UnsafeRawPointer(columnScales + column).loadUnaligned(as: SIMD8<Float>.self)
                })
            }
        } else if let columnScales {
            let levels = FastInt8LinearKernel.perRowLevels
            for row in 0..<rows {
                let (scale, zeroPoint) = DynamicQuantizeLinearKernel.parameters(x + row * k, count: k, levels: levels)
                Int8Linear.quantize(x + row * k, count: k, scale: scale, zeroPoint: zeroPoint, levels: levels,
                                    into: quantized + row * paddedK)
                rowScales[row] = scale
                rowZeroPoints[row] = Int32(zeroPoint)
            }
            let rowScales = self.rowScales, rowZeroPoints = self.rowZeroPoints
            multiply(into: y, zeroPoint: { rowZeroPoints[$0] }, scales: { row, column in
                UnsafeRawPointer(columnScales + column).loadUnaligned(as: SIMD8<Float>.self) * rowScales[row]
            })
        }
    }

    /// The integer product of the quantized rows with the packed weights, dequantized per 8 columns
    /// with the row's zero point and the scales `scales(row, column)` gives for columns column..<column+8.
    @inline(__always)
    private func multiply(into y: UnsafeMutablePointer<Float>, zeroPoint: (Int) -> Int32,
                          scales: (Int, Int) -> SIMD8<Float>) {
        let width = FastInt8LinearKernel.blockWidth
        if let productSums {
            #if arch(x86_64)
            if usesVNNI {
                asr_u8s8_product_vnni(Int32(rows), Int32(paddedK), Int32(blocks), quantized, packedWeights, productSums)
            } else {
                asr_avx2_u8s8_product(Int32(rows), Int32(paddedK), Int32(blocks), quantized, highBits, packedWeights, productSums)
            }
            #endif
            let stride = blocks * width
            for row in 0..<rows {
                var column = 0
                while column < n {
                    let acc = UnsafeRawPointer(productSums + row * stride + column).loadUnaligned(as: SIMD8<Int32>.self)
                    Int8Linear.store(acc, zeroPoint: zeroPoint(row), column: column, n: n, columnSums: columnSums,
                                     outputScale: scales(row, column), bias: bias, into: y + row * n)
                    column += width
                }
            }
            return
        }
        let blockBytes = paddedK * width, quads = paddedK / 4
        var row = 0
        while row < rows {
            let count = Swift.min(4, rows - row)
            let q = quantized + row * paddedK
            func rowPointers(_ q: UnsafeMutablePointer<UInt8>) -> RowPointers {
                (UnsafePointer(q), UnsafePointer(q + (count > 1 ? paddedK : 0)),
                 UnsafePointer(q + (count > 2 ? 2 * paddedK : 0)), UnsafePointer(q + (count > 3 ? 3 * paddedK : 0)))
            }
            let a = rowPointers(q)
            let high = highBits.map { rowPointers($0 + row * paddedK) }
            var block = 0
            while block < blocks {
                let w0 = UnsafeRawPointer(packedWeights + block * blockBytes)
                let acc = Int8Linear.multiplyRows(count, a, high: high, quads: quads, w0: w0, w1: w0 + blockBytes)
                let column = block * width
                func emit(_ value: SIMD8<Int32>, _ r: Int, _ c: Int) {
                    guard c < n else { return }
                    Int8Linear.store(value, zeroPoint: zeroPoint(row + r), column: c, n: n, columnSums: columnSums,
                                     outputScale: scales(row + r, c), bias: bias, into: y + (row + r) * n)
                }
                emit(acc.0, 0, column); emit(acc.1, 0, column + width)
                if count > 1 { emit(acc.2, 1, column); emit(acc.3, 1, column + width) }
                if count > 2 { emit(acc.4, 2, column); emit(acc.5, 2, column + width) }
                if count > 3 { emit(acc.6, 3, column); emit(acc.7, 3, column + width) }
                block += 2
            }
            row += count
        }
    }
}

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

    package typealias RowSums = (SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>, SIMD8<Int32>)

    /// Up to four output rows against two blocks of 8 columns, as AVX2 sums them (the portable
    /// path; the AVX2 kernel set runs `asr_avx2_u8s8_product`, the same sums in C): for each column,
    /// the products of each pair of activations (K = 2i, 2i + 1) with its weights are added and
    /// saturated to int16 (`vpmaddubsw`), then the two pair sums of each quad are added in int32
    /// (`vpmaddwd` with ones). `rows` is 1...4; the unused row pointers may repeat a used one.
    ///
    /// With `high`, activations arrive split into their low 7 bits (`a`) and top bits (`high`,
    /// 0 or 1): no pair sum can then saturate, and the result is the exact sum of the products.
    @inline(__always)
    package static func multiplyRows(_ rows: Int, _ a: RowPointers, high: RowPointers? = nil, quads: Int,
                             w0: UnsafeRawPointer, w1: UnsafeRawPointer, kernels: KernelSet = .active) -> RowSums {
        var s0 = SIMD8<Int32>(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
        for quad in 0..<quads {
            let first = SIMD32<Int32>(truncatingIfNeeded: w0.loadUnaligned(fromByteOffset: quad &* 32, as: SIMD32<Int8>.self))
            let second = SIMD32<Int32>(truncatingIfNeeded: w1.loadUnaligned(fromByteOffset: quad &* 32, as: SIMD32<Int8>.self))
            @inline(__always) func row(_ low: UnsafePointer<UInt8>, _ top: UnsafePointer<UInt8>?) -> (SIMD8<Int32>, SIMD8<Int32>) {
                var x = broadcast(low, quad)
                if let top { x = x &+ broadcast(top, quad) &* 128 }
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

    /// A quad of activations repeated over the 32 lanes of a block (lane i gets activation i % 4).
    @inline(__always)
    private static func broadcast(_ row: UnsafePointer<UInt8>, _ quad: Int) -> SIMD32<Int32> {
        let four = SIMD4<Int32>(truncatingIfNeeded: UnsafeRawPointer(row).loadUnaligned(fromByteOffset: quad &* 4, as: SIMD4<UInt8>.self))
        let eight = SIMD8(lowHalf: four, highHalf: four), sixteen = SIMD16(lowHalf: eight, highHalf: eight)
        return SIMD32(lowHalf: sixteen, highHalf: sixteen)
    }

    /// Per column (4 lanes of `weights`): the sum of its two pair sums, each saturated to int16 if asked.
    @inline(__always)
    private static func quadSums(_ x: SIMD32<Int32>, _ weights: SIMD32<Int32>, saturating: Bool) -> SIMD8<Int32> {
        let products = x &* weights
        var pairs = products.evenHalf &+ products.oddHalf
        if saturating { pairs = pairs.clamped(lowerBound: SIMD16(repeating: -32768), upperBound: SIMD16(repeating: 32767)) }
        return pairs.evenHalf &+ pairs.oddHalf
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
            let v = Swift.min(Swift.max(x[i] / scale, low), high).rounded(.toNearestOrEven)
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
