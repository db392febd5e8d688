import CKernels
import ModelRuntime
import Testing

private let hostHasAVX2: Bool = {
    #if arch(x86_64)
    return asr_cpu_has_avx2_fma() != 0
    #else
    return false
    #endif
}()

/// The AVX2 kernel set (C twins in CKernels) against the portable Swift loops, called side by side
/// in one process on the same inputs: every output must have the same bits. The whole suite also
/// runs once per kernel set against the onnxruntime fixtures (`.ci/run` repeats it with
/// ASR_CPU_FEATURES=portable); this test pins the pairs directly, including inputs no model makes
/// (NaN, infinities, huge and subnormal values, odd sizes).
@Suite(.enabled(if: hostHasAVX2, "the AVX2 kernel set needs an x86-64 CPU with AVX2 and FMA"))
struct KernelSetTests {
    /// Deterministic values: a wide log-uniform spread of both signs, then the special cases.
    static func values(_ count: Int, seed: UInt64, scale: Float = 30) -> [Float] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 24)
        }
        var values = (0..<count).map { _ in (next() * 2 - 1) * scale }
        let special: [Float] = [0, -0.0, .nan, .infinity, -.infinity, 87, -87, 88.8, -104, 1e-40, -1e-40, 3e38, -3e38,
                                .leastNonzeroMagnitude, .greatestFiniteMagnitude, 1, -1, 18.5, -9.5]
        for (i, value) in special.enumerated() where i * 7 < count { values[i * 7] = value }
        return values
    }

    static func differing(_ a: [Float], _ b: [Float]) -> Int {
        zip(a, b).filter { $0.0.bitPattern != $0.1.bitPattern }.count + abs(a.count - b.count)
    }

    #if arch(x86_64)
    @Test func vectorMathEqualsItsSwiftLanes() {
        let x = Self.values(4096, seed: 1)
        let functions: [(asr_vector_function, (VectorMath.Vector) -> VectorMath.Vector)] = [
            (ASR_EXP, VectorMath.exp), (ASR_LOG, VectorMath.log), (ASR_LOGISTIC, VectorMath.logistic), (ASR_TANH, VectorMath.tanh),
        ]
        for (function, lanes) in functions {
            var c = [Float](repeating: 0, count: x.count)
            asr_avx2_vector_function(Int32(function.rawValue), x, &c, x.count)
            var swift = [Float](repeating: 0, count: x.count)
            for v in 0..<(x.count / 8) {
                let result = lanes(VectorMath.Vector(x[(v * 8)..<(v * 8 + 8)]))
                for lane in 0..<8 { swift[v * 8 + lane] = result[lane] }
            }
            #expect(Self.differing(c, swift) == 0, "function \(function.rawValue)")
        }
        // Softmax's exponential: arguments x - max are at most 0.
        let maximum = x.filter(\.isFinite).max()!
        var c = [Float](repeating: 0, count: x.count)
        asr_avx2_shifted_exp(x, &c, x.count, -maximum)
        for v in 0..<(x.count / 8) {
            let result = VectorMath.shiftedExp(VectorMath.Vector(x[(v * 8)..<(v * 8 + 8)]), negativeMaximum: .init(repeating: -maximum))
            for lane in 0..<8 where result[lane].bitPattern != c[v * 8 + lane].bitPattern {
                Issue.record("shifted exp of \(x[v * 8 + lane]): \(result[lane]) portable, \(c[v * 8 + lane]) AVX2")
            }
        }
    }

    /// Wide values send most vectors down the full functions' path, narrow ones down the in-range path.
    @Test(arguments: [SwooshForm.stable(floor: 0), .clamped])
    func swooshEqualsPortable(form: SwooshForm) {
        for (count, scale) in [(1, 120), (7, 120), (8, 120), (31, 120), (32, 120), (33, 120), (1000, 120), (1000, 20), (77, 20)] as [(Int, Float)] {
            let x = Self.values(count, seed: UInt64(count), scale: scale)
            let kernel = SwooshKernel(count: count, form: form, offset: 1, slope: 0.08, shift: 0.313261687)
            var outputs: [[Float]] = []
            for kernels in [KernelSet.avx2, .portable] {
                var y = [Float](repeating: 0, count: count)
                kernel.apply(x, to: &y, count: count, kernels: kernels)
                outputs.append(y)
            }
            #expect(Self.differing(outputs[0], outputs[1]) == 0, "\(form), \(count) values of scale \(scale)")
        }
    }

    /// The 16-lane packed products against the 8-lane ones: panel pairs and a last single or partial
    /// panel, partial row tiles, one K slice and several.
    @Test(.enabled(if: asr_cpu_has_avx512f() != 0, "the 16-lane products need AVX512F"))
    func sixteenLanePackedProductsEqualEightLane() {
        for (m, k, n, slice) in [(1, 7, 5, 256), (6, 40, 16, 256), (13, 300, 33, 256), (7, 64, 48, 16), (12, 5, 70, 2)] {
            let a = Self.values(m * k, seed: 12, scale: 2), b = Self.values(k * n, seed: 13, scale: 2)
            // B in panels of 16 columns and A in panels of 6 rows, zero past the edges.
            let columnPanelCount = (n + 15) / 16, rowPanelCount = (m + 5) / 6
            var columnPanels = [Float](repeating: 0, count: columnPanelCount * k * 16)
            var rowPanels = [Float](repeating: 0, count: rowPanelCount * k * 6)
            for inner in 0..<k {
                for column in 0..<n { columnPanels[(column / 16) * k * 16 + inner * 16 + column % 16] = b[inner * n + column] }
                for row in 0..<m { rowPanels[(row / 6) * k * 6 + inner * 6 + row % 6] = a[row * k + inner] }
            }
            var wide = [Float](repeating: 0, count: m * n), narrow = wide
            asr_avx512_packed_matrix_product(a, columnPanels, &wide, m, k, n, slice)
            asr_avx2_packed_matrix_product(a, columnPanels, &narrow, m, k, n, slice)
            #expect(Self.differing(wide, narrow) == 0, "column panels, \(m)x\(k)x\(n), slice \(slice)")
            var wideRows = [Float](repeating: 0, count: m * n), narrowRows = wideRows
            asr_avx512_packed_rows_matrix_product(rowPanels, b, &wideRows, m, k, n, slice)
            asr_avx2_packed_rows_matrix_product(rowPanels, b, &narrowRows, m, k, n, slice)
            #expect(Self.differing(wideRows, narrowRows) == 0, "row panels, \(m)x\(k)x\(n), slice \(slice)")
            #expect(Self.differing(wide, wideRows) == 0, "both layouts give the same products")
        }
    }

    /// The 16-lane Swoosh loops against the 8-lane ones, in-range and out-of-range vectors mixed.
    @Test(.enabled(if: asr_cpu_has_avx512f() != 0, "the 16-lane Swoosh needs AVX512F"))
    func sixteenLaneSwooshEqualsEightLane() {
        var x = Self.values(1000, seed: 11, scale: 20)
        x[500] = 200
        for stable in [false, true] {
            var wide = [Float](repeating: 0, count: x.count), narrow = wide
            if stable {
                asr_avx512_swoosh_stable(x, &wide, x.count, 1, 0, 0.08, 0.313261687)
                asr_avx2_swoosh_stable(x, &narrow, x.count, 1, 0, 0.08, 0.313261687)
            } else {
                asr_avx512_swoosh_clamped(x, &wide, x.count, 1, 0.08, 0.313261687)
                asr_avx2_swoosh_clamped(x, &narrow, x.count, 1, 0.08, 0.313261687)
            }
            #expect(Self.differing(wide, narrow) == 0, "stable: \(stable)")
        }
    }

    @Test func matrixProductEqualsPortable() {
        for (m, k, n, slice) in [(1, 5, 3, 256), (4, 300, 16, 256), (7, 33, 45, 8), (9, 12, 12, 256), (5, 600, 24, 256)] {
            let a = Self.values(m * k, seed: 3, scale: 2), b = Self.values(k * n, seed: 4, scale: 2)
            var outputs: [[Float]] = []
            for kernels in [KernelSet.avx2, .portable] {
                var y = [Float](repeating: 0, count: m * n)
                BlockedMatrixProduct.multiply(a, b, &y, m: m, k: k, n: n, sliceK: slice, kernels: kernels)
                outputs.append(y)
            }
            #expect(Self.differing(outputs[0], outputs[1]) == 0, "\(m)x\(k)x\(n)")
        }
    }

    @Test func depthwiseEqualsPortable() {
        let width = 30, height = 9, taps = 15
        let plane = Self.values((height + 3) * (width + 8 + 14), seed: 5, scale: 3)
        let weights = Self.values(taps, seed: 6, scale: 1)
        let paddedWidth = width + 8 + 14
        let offsets = (0..<taps).map { ($0 / 5) * paddedWidth + $0 % 5 }
        for chained in [false, true] {
            for (outHeight, outWidth) in [(1, 4), (1, 30), (9, 20), (9, 30)] {
                var outputs: [[Float]] = []
                for kernels in [KernelSet.avx2, .portable] {
                    var y = [Float](repeating: 0, count: outHeight * outWidth)
                    if chained {
                        DepthwiseConvolution.chainedChannel(plane, paddedWidth: paddedWidth, weights: weights, tapOffsets: offsets,
                                                            taps: taps, outHeight: outHeight, outWidth: outWidth, bias: 0.5,
                                                            into: &y, kernels: kernels)
                    } else {
                        DepthwiseConvolution.channel(plane, paddedWidth: paddedWidth, weights: weights, tapOffsets: offsets,
                                                     taps: taps, outHeight: outHeight, outWidth: outWidth, bias: nil,
                                                     into: &y, kernels: kernels)
                    }
                    outputs.append(y)
                }
                #expect(Self.differing(outputs[0], outputs[1]) == 0, "chained \(chained), \(outHeight)x\(outWidth)")
            }
        }
    }

    /// The AVX512F tile of two 16-channel groups against two AVX2 tiles of one group each, over
    /// blocks of 16 channels, of one channel (the running block sums) and a last short block.
    @Test(.enabled(if: asr_cpu_has_avx512f() != 0, "the paired tile needs AVX512F"), arguments: [16, 1, 12])
    func pairedConvTileEqualsTwoAVX2Tiles(block: Int) {
        let channels = 24, height = 5, width = 17, kernelHeight = 3, kernelWidth = 3
        let plane = height * width
        let image = Self.values(channels * plane, seed: 8, scale: 3)
        let weights = Self.values(2 * kernelHeight * kernelWidth * channels * 16, seed: 9, scale: 1)
        let groupSize = kernelHeight * kernelWidth * channels * 16
        // Six positions along the second row, stride 2: a tile as the kernel forms them.
        let origins = (0..<6).map { 1 * width + 2 * $0 }
        var paired = [Float](repeating: 0, count: 192), separate = [Float](repeating: 0, count: 192)
        image.withUnsafeBufferPointer { x in
            weights.withUnsafeBufferPointer { w in
                let inputs: [UnsafePointer<Float>?] = origins.map { x.baseAddress! + $0 - width }
                asr_avx512_conv_tile_pair(inputs, 0, kernelHeight, kernelWidth, width, 1, plane, channels, block,
                                          w.baseAddress!, w.baseAddress! + groupSize, &paired)
                separate.withUnsafeMutableBufferPointer { sums in
                    for group in 0..<2 {
                        asr_avx2_conv_tile(16, inputs, 0, kernelHeight, kernelWidth, width, 1, plane, channels, block,
                                           w.baseAddress! + group * groupSize, sums.baseAddress! + group * 96)
                    }
                }
            }
        }
        #expect(Self.differing(paired, separate) == 0)
        #expect(paired.contains { $0 != 0 && $0.isFinite })
    }

    /// K and N off the quad and pair sizes: the edges are zero in both packings.
    @Test func int8PackingEqualsPortable() {
        let k = 37, n = 45, paddedK = 40, bytes = (n + 15) / 16 * paddedK * 16
        var state: UInt32 = 11
        let weights = (0..<(k * n)).map { _ -> Int8 in state = state &* 1664525 &+ 1013904223; return Int8(truncatingIfNeeded: state >> 24) }
        var packings: [[Int8]] = []
        for kernels in [KernelSet.avx2, .portable] {
            var packed = [Int8](repeating: 0, count: bytes)
            packed.withUnsafeMutableBufferPointer { Int8Linear.pack(weights, k: k, n: n, paddedK: paddedK, into: $0.baseAddress!, kernels: kernels) }
            packings.append(packed)
        }
        #expect(packings[0] == packings[1])
        #expect(packings[1][2 * 64 + 5 * 4 + 1] == weights[(2 * 4 + 1) * n + 5], "pair 0, quad 2, column 5, k 9")
        #expect(packings[1][paddedK * 16 + 32 + 3 * 4] == weights[16 + 8 + 3], "pair 1, quad 0, column 27, k 0")
    }

    /// Weights of ±127/-128 and activations of 255 make pair sums that saturate int16.
    @Test(arguments: [false, true])
    func int8ProductEqualsPortable(split: Bool) {
        let quads = 24, paddedK = quads * 4, blocks = 4, rows = 7
        var state: UInt32 = 7
        func byte() -> UInt8 { state = state &* 1664525 &+ 1013904223; return UInt8(truncatingIfNeeded: state >> 24) }
        var activations = (0..<(rows * paddedK)).map { _ in byte() }
        for i in stride(from: 0, to: activations.count, by: 5) { activations[i] = 255 }
        var weights = (0..<(blocks * paddedK * 8)).map { _ in Int8(bitPattern: byte()) }
        for i in stride(from: 0, to: weights.count, by: 3) { weights[i] = i % 2 == 0 ? 127 : -128 }
        let high = split ? activations.map { $0 >> 7 } : []
        let low = split ? activations.map { $0 & 0x7F } : activations
        var sums = [Int32](repeating: 0, count: rows * blocks * 8)
        low.withUnsafeBufferPointer { a in
            high.withUnsafeBufferPointer { h in
                weights.withUnsafeBytes { w in
                    asr_avx2_u8s8_product(Int32(rows), Int32(paddedK), Int32(blocks), a.baseAddress!, split ? h.baseAddress! : nil,
                                          w.baseAddress!.assumingMemoryBound(to: Int8.self), &sums)
                    if split, asr_cpu_has_avx512_vnni() != 0 {
                        // Split sums are exact, as VNNI's are: same layout, same int32 sums.
                        var exact = [Int32](repeating: 0, count: sums.count)
                        asr_u8s8_product_vnni(Int32(rows), Int32(paddedK), Int32(blocks), activations,
                                              w.baseAddress!.assumingMemoryBound(to: Int8.self), &exact)
                        #expect(exact == sums, "VNNI against the split AVX2 sums")
                    }
                    func rowPointers(_ base: UnsafePointer<UInt8>, _ first: Int, _ count: Int) -> RowPointers {
                        func row(_ r: Int) -> UnsafePointer<UInt8> { base + (first + Swift.min(r, count - 1)) * paddedK }
                        return (row(0), row(1), row(2), row(3))
                    }
                    for first in stride(from: 0, to: rows, by: 4) {
                        let count = Swift.min(4, rows - first)
                        for block in stride(from: 0, to: blocks, by: 2) {
                            let portable = Int8Linear.multiplyRows(count, rowPointers(a.baseAddress!, first, count),
                                                                   high: split ? rowPointers(h.baseAddress!, first, count) : nil,
                                                                   quads: quads, pair: w.baseAddress! + block * paddedK * 8)
                            let vectors = [portable.0, portable.1, portable.2, portable.3, portable.4, portable.5, portable.6, portable.7]
                            for r in 0..<count {
                                for half in 0..<2 {
                                    let start = (first + r) * blocks * 8 + (block + half) * 8
                                    #expect(SIMD8(sums[start..<(start + 8)]) == vectors[2 * r + half],
                                            "split \(split), row \(first + r), block \(block + half)")
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// AMX tiles give the exact int32 sums, over shapes with and without whole bands of 16 rows and
    /// chunks of 64 bytes of K, and their tails; bytes at their extremes included.
    @Test(.enabled(if: asr_cpu_enable_amx_int8() != 0, "the CPU or the OS offers no AMX-INT8"))
    func amxProductGivesExactSums() {
        var state: UInt32 = 5
        func byte() -> UInt8 { state = state &* 1664525 &+ 1013904223; return UInt8(truncatingIfNeeded: state >> 24) }
        for rows in [1, 5, 16, 17, 40] {
            for paddedK in [4, 60, 64, 68, 200] {
                for blocks in [2, 6] {
                    let activations = (0..<(rows * paddedK)).map { i in i % 7 == 0 ? 255 : byte() }
                    let weights = (0..<(blocks * paddedK * 8)).map { i in i % 5 == 0 ? (i % 2 == 0 ? 127 : -128) : Int8(bitPattern: byte()) }
                    var sums = [Int32](repeating: -1, count: rows * blocks * 8)
                    asr_u8s8_product_amx(Int32(rows), Int32(paddedK), Int32(blocks), activations, weights, &sums)
                    var exact = [Int32](repeating: 0, count: sums.count)
                    for row in 0..<rows {
                        for column in 0..<(blocks * 8) {
                            // [column / 16][k / 4][column % 16][k % 4]
                            let base = (column / 16) * paddedK * 16 + (column % 16) * 4
                            var sum: Int32 = 0
                            for k in 0..<paddedK {
                                sum += Int32(activations[row * paddedK + k]) * Int32(weights[base + (k / 4) * 64 + k % 4])
                            }
                            exact[row * blocks * 8 + column] = sum
                        }
                    }
                    #expect(sums == exact, "rows \(rows), padded K \(paddedK), blocks \(blocks)")
                }
            }
        }
    }
    #endif
}
