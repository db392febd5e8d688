/// The fused dynamic-quantization linear operator: y = dequantize(quantize(x) · W) (+ b), with
/// exactly the integers and float roundings of onnxruntime's node chain
/// (DynamicQuantizeLinear, MatMulInteger, Cast, Mul, Add) on AVX2 without VNNI:
/// x [rows, K] float is quantized per tensor to uint8 with a zero point, W [K, N] is int8 with
/// zero point 0, products of each K pair are summed with int16 saturation (as `vpmaddubsw`),
/// accumulation is int32, then y = Float(acc) * (x_scale * w_scale) and + b, each rounded once.
///
/// W is packed once at load in blocks of 8 output channels, [block][K (padded even)][8], so the
/// inner loop walks one block with unit stride.
final class FastInt8LinearKernel: Kernel {
    static let blockWidth = 8

    let rows: Int, k: Int, n: Int
    /// K rounded up to even: the pair loop reads two inputs at a time.
    let paddedK: Int
    let blocks: Int
    let weightScale: Float
    /// [blocks][paddedK][8] int8, zero past N and K.
    let packedWeights: UnsafeMutablePointer<Int8>
    /// Per output channel (padded to blocks * 8): sum over K of W, for the activation zero point.
    let columnSums: UnsafeMutablePointer<Int32>
    /// Per output channel (padded), nil without a bias.
    let bias: UnsafeMutablePointer<Float>?
    /// The quantized activations, [rows][paddedK].
    let quantized: UnsafeMutablePointer<UInt8>

    /// `weights` is W [K, N] int8 row-major with zero point 0; `bias` has N values.
    init(rows: Int, k: Int, n: Int, weights: UnsafePointer<Int8>, weightScale: Float, bias: UnsafePointer<Float>?) {
        self.rows = rows; self.k = k; self.n = n
        self.weightScale = weightScale
        let width = FastInt8LinearKernel.blockWidth
        paddedK = (k + 1) / 2 * 2
        blocks = (n + width - 1) / width
        packedWeights = .allocate(capacity: max(blocks * paddedK * width, 1))
        packedWeights.initialize(repeating: 0, count: max(blocks * paddedK * width, 1))
        columnSums = .allocate(capacity: max(blocks * width, 1))
        columnSums.initialize(repeating: 0, count: max(blocks * width, 1))
        quantized = .allocate(capacity: max(rows * paddedK, 1))
        quantized.initialize(repeating: 0, count: max(rows * paddedK, 1))
        for column in 0..<n {
            let block = column / width, lane = column % width
            var sum: Int32 = 0
            for inner in 0..<k {
                let w = weights[inner * n + column]
                packedWeights[(block * paddedK + inner) * width + lane] = w
                sum += Int32(w)
            }
            columnSums[column] = sum
        }
        if let bias {
            let padded = UnsafeMutablePointer<Float>.allocate(capacity: max(blocks * width, 1))
            padded.initialize(repeating: 0, count: max(blocks * width, 1))
            padded.update(from: bias, count: n)
            self.bias = padded
        } else {
            self.bias = nil
        }
    }

    deinit {
        packedWeights.deallocate()
        columnSums.deallocate()
        bias?.deallocate()
        quantized.deallocate()
    }

    var ownedBytes: Int {
        let width = FastInt8LinearKernel.blockWidth
        return blocks * paddedK * width + blocks * width * (bias == nil ? 4 : 8) + rows * paddedK
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let (scale, zeroPoint) = DynamicQuantizeLinearKernel.parameters(x, count: rows * k)
        for row in 0..<rows {
            Int8Linear.quantize(x + row * k, count: k, scale: scale, zeroPoint: zeroPoint, into: quantized + row * paddedK)
        }
        // onnxruntime multiplies the two scales in float, then the converted accumulator by that product.
        let outputScale = scale * weightScale
        var row = 0
        while row + 2 <= rows {
            Int8Linear.multiplyTwoRows(quantized + row * paddedK, quantized + (row + 1) * paddedK, zeroPoint: Int32(zeroPoint),
                                       pairs: paddedK / 2, n: n, blocks: blocks, weights: packedWeights, columnSums: columnSums,
                                       outputScale: outputScale, bias: bias, into: y + row * n, y + (row + 1) * n)
            row += 2
        }
        if row < rows {
            Int8Linear.multiplyRow(quantized + row * paddedK, zeroPoint: Int32(zeroPoint), pairs: paddedK / 2, n: n,
                                   blocks: blocks, weights: packedWeights, columnSums: columnSums,
                                   outputScale: outputScale, bias: bias, into: y + row * n)
        }
    }
}

/// The SIMD kernels of the fused int8 linear operator.
enum Int8Linear {
    /// DynamicQuantizeLinear's rounding, 8 lanes at a time: clamp(round-half-even(x / scale)) + zero point.
    @inline(__always)
    static func quantize(_ x: UnsafePointer<Float>, count: Int, scale: Float, zeroPoint: UInt8,
                         into q: UnsafeMutablePointer<UInt8>) {
        let low = -Float(zeroPoint), high = 255 - Float(zeroPoint), zero = Int32(zeroPoint)
        // x / scale lies in [-255, 255] (the range includes 0 and spans 255 steps), where adding
        // 1.5 * 2^23 rounds half to even into the low mantissa bits; the generic float-to-integer
        // SIMD conversion would go lane by lane. Clamping to integer bounds commutes with rounding,
        // so it is done on the integers.
        let magic = SIMD8<Float>(repeating: 12_582_912), magicBits = SIMD8<Int32>(repeating: 0x4B40_0000)
        let lowest = SIMD8<Int32>(repeating: -zero), highest = SIMD8<Int32>(repeating: 255 - zero)
        var i = 0
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

    /// Two output rows at once: each widened weight vector serves both rows.
    @inline(__always)
    static func multiplyTwoRows(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, zeroPoint: Int32, pairs: Int, n: Int,
                                blocks: Int, weights: UnsafePointer<Int8>, columnSums: UnsafePointer<Int32>,
                                outputScale: Float, bias: UnsafePointer<Float>?,
                                into y: UnsafeMutablePointer<Float>, _ z: UnsafeMutablePointer<Float>) {
        let low = SIMD8<Int32>(repeating: -32768), high = SIMD8<Int32>(repeating: 32767)
        let stride = pairs * 16
        var block = 0
        while block < blocks {
            let two = block + 1 < blocks
            let w0 = UnsafeRawPointer(weights + block * stride)
            let w1 = UnsafeRawPointer(weights + (two ? block + 1 : block) * stride)
            var y0 = SIMD8<Int32>(repeating: 0), y1 = SIMD8<Int32>(repeating: 0)
            var z0 = SIMD8<Int32>(repeating: 0), z1 = SIMD8<Int32>(repeating: 0)
            for pair in 0..<pairs {
                let offset = pair &* 16
                let even0 = SIMD8<Int32>(truncatingIfNeeded: w0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self))
                let odd0 = SIMD8<Int32>(truncatingIfNeeded: w0.loadUnaligned(fromByteOffset: offset &+ 8, as: SIMD8<Int8>.self))
                let even1 = SIMD8<Int32>(truncatingIfNeeded: w1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self))
                let odd1 = SIMD8<Int32>(truncatingIfNeeded: w1.loadUnaligned(fromByteOffset: offset &+ 8, as: SIMD8<Int8>.self))
                let ya0 = SIMD8<Int32>(repeating: Int32(a[pair &* 2])), ya1 = SIMD8<Int32>(repeating: Int32(a[pair &* 2 &+ 1]))
                let zb0 = SIMD8<Int32>(repeating: Int32(b[pair &* 2])), zb1 = SIMD8<Int32>(repeating: Int32(b[pair &* 2 &+ 1]))
                y0 &+= (ya0 &* even0 &+ ya1 &* odd0).clamped(lowerBound: low, upperBound: high)
                y1 &+= (ya0 &* even1 &+ ya1 &* odd1).clamped(lowerBound: low, upperBound: high)
                z0 &+= (zb0 &* even0 &+ zb1 &* odd0).clamped(lowerBound: low, upperBound: high)
                z1 &+= (zb0 &* even1 &+ zb1 &* odd1).clamped(lowerBound: low, upperBound: high)
            }
            store(y0, zeroPoint: zeroPoint, column: block * 8, n: n, columnSums: columnSums, outputScale: outputScale, bias: bias, into: y)
            store(z0, zeroPoint: zeroPoint, column: block * 8, n: n, columnSums: columnSums, outputScale: outputScale, bias: bias, into: z)
            if two {
                store(y1, zeroPoint: zeroPoint, column: block * 8 + 8, n: n, columnSums: columnSums,
                      outputScale: outputScale, bias: bias, into: y)
                store(z1, zeroPoint: zeroPoint, column: block * 8 + 8, n: n, columnSums: columnSums,
                      outputScale: outputScale, bias: bias, into: z)
            }
            block += 2
        }
    }

    /// One output row: per pair of inputs, saturate16(a0 w0 + a1 w1) summed in int32, minus
    /// zeroPoint * column sum, then Float(acc) * outputScale (+ bias).
    @inline(__always)
    static func multiplyRow(_ a: UnsafePointer<UInt8>, zeroPoint: Int32, pairs: Int, n: Int, blocks: Int,
                            weights: UnsafePointer<Int8>, columnSums: UnsafePointer<Int32>,
                            outputScale: Float, bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
        let low = SIMD8<Int32>(repeating: -32768), high = SIMD8<Int32>(repeating: 32767)
        let stride = pairs * 16
        var block = 0
        // Two blocks per pass share each broadcast activation pair.
        while block < blocks {
            let two = block + 1 < blocks
            let w0 = UnsafeRawPointer(weights + block * stride)
            let w1 = UnsafeRawPointer(weights + (two ? block + 1 : block) * stride)
            var acc0 = SIMD8<Int32>(repeating: 0), acc1 = SIMD8<Int32>(repeating: 0)
            for pair in 0..<pairs {
                let a0 = SIMD8<Int32>(repeating: Int32(a[pair &* 2])), a1 = SIMD8<Int32>(repeating: Int32(a[pair &* 2 &+ 1]))
                let offset = pair &* 16
                let s0 = a0 &* SIMD8<Int32>(truncatingIfNeeded: w0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self))
                    &+ a1 &* SIMD8<Int32>(truncatingIfNeeded: w0.loadUnaligned(fromByteOffset: offset &+ 8, as: SIMD8<Int8>.self))
                let s1 = a0 &* SIMD8<Int32>(truncatingIfNeeded: w1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self))
                    &+ a1 &* SIMD8<Int32>(truncatingIfNeeded: w1.loadUnaligned(fromByteOffset: offset &+ 8, as: SIMD8<Int8>.self))
                acc0 &+= s0.clamped(lowerBound: low, upperBound: high)
                acc1 &+= s1.clamped(lowerBound: low, upperBound: high)
            }
            store(acc0, zeroPoint: zeroPoint, column: block * 8, n: n, columnSums: columnSums,
                  outputScale: outputScale, bias: bias, into: y)
            if two {
                store(acc1, zeroPoint: zeroPoint, column: block * 8 + 8, n: n, columnSums: columnSums,
                      outputScale: outputScale, bias: bias, into: y)
            }
            block += 2
        }
    }

    @inline(__always)
    static func store(_ acc: SIMD8<Int32>, zeroPoint: Int32, column: Int, n: Int, columnSums: UnsafePointer<Int32>,
                      outputScale: Float, bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>) {
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
