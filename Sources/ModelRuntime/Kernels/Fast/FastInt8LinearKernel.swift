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
/// W is packed once at load in blocks of 8 output channels and quads of K, two blocks interleaved,
/// [block / 2][K / 4][2][8 channels][4]: one 32-byte load feeds `vpmaddubsw` for 8 channels, one
/// 64-byte line `vpdpbusd` for 16, and a pair's weights are one sequential stream.
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
    /// The packed weights, owned (or shared with other kernels of the same matrix).
    private let packed: PackedInt8Weights
    /// K rounded up to a multiple of 4: the inner loop reads four inputs at a time.
    var paddedK: Int { packed.paddedK }
    /// Blocks of 8 output channels, rounded up to even: the inner loop walks two at a time.
    var blocks: Int { packed.blocks }
    /// The per-tensor weight scale; nil in the other schemes.
    let weightScale: Float?
    /// Per output channel (padded, zero past N) in the per-column and per-row schemes, else nil.
    let columnScales: UnsafeMutablePointer<Float>?
    /// Whether activations are quantized per row (else over the whole input, as onnxruntime does).
    let quantizesRows: Bool
    /// [blocks / 2][paddedK / 4][2][8][4] int8, zero past N and K.
    var packedWeights: UnsafeMutablePointer<Int8> { packed.weights }
    /// Per output channel (padded to blocks * 8): sum over K of W, for the activation zero point.
    var columnSums: UnsafeMutablePointer<Int32> { packed.columnSums }
    /// Per output channel (padded), nil without a bias.
    let bias: UnsafeMutablePointer<Float>?
    let usesVNNI: Bool
    /// VNNI's sums computed on AMX tiles instead, for a product large enough to pay for them.
    let usesAMX: Bool

    /// One run's working memory: `quantized` in the step's own scratch (its zero padding past K
    /// stays), the rest in the shared workspace.
    private struct Buffers {
        /// The quantized activations, [rows][paddedK], zero past K (runs write only the first K).
        let quantized: UnsafeMutablePointer<UInt8>
        /// For exact sums with weights that can saturate a pair: the activations' top bits, [rows][paddedK]
        /// (`quantized` then keeps the low 7 bits), so that each `vpmaddubsw` pair sum fits in int16.
        let highBits: UnsafeMutablePointer<UInt8>?
        /// The int32 products [rows][blocks * 8] when a C kernel computes them: the AMX or AVX512-VNNI one
        /// where `usesVNNI`, else the AVX2 one (nil on the portable path, which keeps its sums in registers).
        let productSums: UnsafeMutablePointer<Int32>?
        /// The current run's activation scale and zero point of each row (the per-tensor scheme repeats one).
        let rowScales: UnsafeMutablePointer<Float>
        let rowZeroPoints: UnsafeMutablePointer<Int32>
    }
    private let workspaceLayout: ScratchLayout
    private let highBitsOffset: Int?, productSumsOffset: Int?, rowScalesOffset: Int, rowZeroPointsOffset: Int

    /// `weights` is W [K, N] int8 row-major with zero point 0, `packed` its packing if made already;
    /// `bias` has N values. `products` says how the per-tensor and per-column schemes sum products
    /// (the per-row scheme never saturates).
    init(rows: Int, k: Int, n: Int, weights: UnsafePointer<Int8>, packed: PackedInt8Weights? = nil, quantization: Quantization,
         bias: UnsafePointer<Float>?, products: Int8Products) {
        self.rows = rows; self.k = k; self.n = n
        let width = FastInt8LinearKernel.blockWidth
        let packed = packed ?? PackedInt8Weights(weights, k: k, n: n)
        self.packed = packed
        let blocks = packed.blocks, paddedK = packed.paddedK
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
        let saturationMatters = !quantizesRows && packed.canSaturatePairs
        usesVNNI = Int8Linear.hasVNNI && (products == .exact || !saturationMatters)
        usesAMX = usesVNNI && Int8Linear.hasAMX && rows * paddedK * blocks * width >= Int8Linear.amxMinimumProducts
        var layout = ScratchLayout()
        productSumsOffset = usesVNNI || KernelSet.active == .avx2 ? layout.reserve(Int32.self, count: rows * blocks * width) : nil
        highBitsOffset = !usesVNNI && products == .exact && saturationMatters ? layout.reserve(UInt8.self, count: rows * paddedK) : nil
        rowScalesOffset = layout.reserve(Float.self, count: rows)
        rowZeroPointsOffset = layout.reserve(Int32.self, count: rows)
        workspaceLayout = layout
    }

    deinit {
        columnScales?.deallocate()
        bias?.deallocate()
    }

    var ownedBytes: Int {
        let width = FastInt8LinearKernel.blockWidth
        let perChannel = 4 + (bias == nil ? 0 : 4) + (columnScales == nil ? 0 : 4)
        return blocks * paddedK * width + blocks * width * perChannel
    }

    var scratchBytes: Int { Swift.max(rows * paddedK, 1) }
    var workspaceBytes: Int { workspaceLayout.bytes }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let buffers = Buffers(quantized: memory.own.scratch(UInt8.self, at: 0),
                              highBits: highBitsOffset.map { memory.shared.scratch(UInt8.self, at: $0) },
                              productSums: productSumsOffset.map { memory.shared.scratch(Int32.self, at: $0) },
                              rowScales: memory.shared.scratch(Float.self, at: rowScalesOffset),
                              rowZeroPoints: memory.shared.scratch(Int32.self, at: rowZeroPointsOffset))
        let quantized = buffers.quantized, rowScales = buffers.rowScales, rowZeroPoints = buffers.rowZeroPoints
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        if !quantizesRows {
            let (scale, zeroPoint) = DynamicQuantizeLinearKernel.parameters(x, count: rows * k)
            for row in 0..<rows {
                Int8Linear.quantize(x + row * k, count: k, scale: scale, zeroPoint: zeroPoint, into: quantized + row * paddedK)
            }
            if let highBits = buffers.highBits { Int8Linear.splitTopBit(quantized, count: rows * paddedK, into: highBits) }
            // onnxruntime multiplies the two scales in float, then the converted accumulator by that product.
            for row in 0..<rows {
                rowScales[row] = weightScale.map { scale * $0 } ?? scale
                rowZeroPoints[row] = Int32(zeroPoint)
            }
            multiply(into: y, columnScales: weightScale == nil ? columnScales : nil, buffers: buffers)
        } else if let columnScales {
            let levels = FastInt8LinearKernel.perRowLevels
            for row in 0..<rows {
                let (scale, zeroPoint) = DynamicQuantizeLinearKernel.parameters(x + row * k, count: k, levels: levels)
                Int8Linear.quantize(x + row * k, count: k, scale: scale, zeroPoint: zeroPoint, levels: levels,
                                    into: quantized + row * paddedK)
                rowScales[row] = scale
                rowZeroPoints[row] = Int32(zeroPoint)
            }
            multiply(into: y, columnScales: columnScales, buffers: buffers)
        }
    }

    /// The integer product of the quantized rows with the packed weights, dequantized per 8 columns
    /// with the row's zero point (`rowZeroPoints`) and its scale (`rowScales`), times the columns'
    /// scales when given.
    @inline(__always)
    private func multiply(into y: UnsafeMutablePointer<Float>, columnScales: UnsafePointer<Float>?, buffers: Buffers) {
        let width = FastInt8LinearKernel.blockWidth
        let rowScales = buffers.rowScales, rowZeroPoints = buffers.rowZeroPoints
        let quantized = buffers.quantized, highBits = buffers.highBits, productSums = buffers.productSums
        @inline(__always) func scales(_ row: Int, _ column: Int) -> SIMD8<Float> {
            guard let columnScales else { return SIMD8(repeating: rowScales[row]) }
            return UnsafeRawPointer(columnScales + column).loadUnaligned(as: SIMD8<Float>.self) * rowScales[row]
        }
        @inline(__always) func zeroPoint(_ row: Int) -> Int32 { rowZeroPoints[row] }
        #if arch(x86_64)
        if let productSums {
            if usesAMX {
                asr_u8s8_product_amx(Int32(rows), Int32(paddedK), Int32(blocks), quantized, packedWeights, productSums)
            } else if usesVNNI {
                asr_u8s8_product_vnni(Int32(rows), Int32(paddedK), Int32(blocks), quantized, packedWeights, productSums)
            } else {
                asr_avx2_u8s8_product(Int32(rows), Int32(paddedK), Int32(blocks), quantized, highBits, packedWeights, productSums)
            }
            asr_avx2_dequantize(productSums, rows, blocks * width, n, columnSums, rowZeroPoints, rowScales, columnScales, bias, y)
            return
        }
        #endif
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
                let pair = UnsafeRawPointer(packedWeights + block * blockBytes)
                let acc = Int8Linear.multiplyRows(count, a, high: high, quads: quads, pair: pair)
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
