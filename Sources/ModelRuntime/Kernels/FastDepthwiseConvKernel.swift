import CKernels

/// Depthwise Conv (one input and one output channel per group, stride 1, dilation 1), 1-D or 2-D,
/// 8 output columns per SIMD register.
///
/// Each channel is first copied into a zero-bordered plane so the inner loop has no bounds; each
/// output then sums rounded products four taps at a time in (kh, kw) order, adds each partial sum
/// to the output, and adds the bias last: the order of `ConvKernel`'s grouped path (a padded tap
/// adds w * 0 where that path skips it, which can only change the sign of a zero).
/// With `chainsTaps`, each output is instead one FMA chain from zero in (kh, kw) order with the bias
/// added last: the order of onnxruntime's NCHWc depthwise convolution (its optimized 2-D graphs),
/// and of its NCHWc convolution of a one-channel input. Only then may each input channel feed
/// several output channels (outChannels a multiple of channels). A padded tap adds w * 0 to a
/// chain that started from +0 and so is never -0: the same bits as skipping it.
final class FastDepthwiseConvKernel: Kernel {
    let g: ConvKernel.Geometry
    let hasBias: Bool
    let chainsTaps: Bool
    let paddedHeight: Int, paddedWidth: Int
    /// One zero-bordered input plane, [paddedHeight][paddedWidth].
    let plane: UnsafeMutablePointer<Float>
    /// Per tap (kh, kw): its element offset in the plane, kh * paddedWidth + kw.
    let tapOffsets: UnsafeMutablePointer<Int>
    /// An activation applied to each output plane as soon as it is complete, while it is still in
    /// cache (`ConvActivationFusion`); nil for a plain convolution.
    var activation: SwooshKernel?

    init?(geometry: ConvKernel.Geometry, hasBias: Bool, chainsTaps: Bool = false) {
        guard geometry.groups == geometry.channels, geometry.channels > 0,
              geometry.outChannels == geometry.channels || (chainsTaps && geometry.outChannels % geometry.channels == 0),
              geometry.strideH == 1, geometry.strideW == 1, geometry.dilationH == 1, geometry.dilationW == 1,
              !geometry.kernelSpansUnpaddedWidth else { return nil }
        g = geometry
        self.hasBias = hasBias
        self.chainsTaps = chainsTaps
        paddedHeight = geometry.outHeight + geometry.kernelHeight - 1
        // Slack of 8 columns: the last SIMD group reads past the output width.
        paddedWidth = geometry.outWidth + geometry.kernelWidth - 1 + 8
        plane = .allocate(capacity: paddedHeight * paddedWidth)
        plane.initialize(repeating: 0, count: paddedHeight * paddedWidth)
        let taps = geometry.kernelHeight * geometry.kernelWidth
        tapOffsets = .allocate(capacity: Swift.max(taps, 1))
        for tap in 0..<taps {
            tapOffsets[tap] = (tap / geometry.kernelWidth) * paddedWidth + tap % geometry.kernelWidth
        }
    }

    deinit {
        plane.deallocate()
        tapOffsets.deallocate()
    }

    var ownedBytes: Int { paddedHeight * paddedWidth * 4 + g.kernelHeight * g.kernelWidth * 8 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let w = inputs[1].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let bias: UnsafePointer<Float>? = hasBias ? inputs[2].assumingMemoryBound(to: Float.self) : nil
        let inPlane = g.height * g.width, outPlane = g.outHeight * g.outWidth
        let kernelSize = g.kernelHeight * g.kernelWidth
        // Input columns that land inside the padded plane.
        let firstColumn = Swift.max(0, -g.padLeft)
        let lastColumn = Swift.min(g.width, paddedWidth - 8 - g.padLeft)
        for n in 0..<g.batch {
            for c in 0..<g.channels {
                let source = x + (n * g.channels + c) * inPlane
                for ih in 0..<g.height {
                    let row = ih + g.padTop
                    guard row >= 0, row < paddedHeight, lastColumn > firstColumn else { continue }
                    // Rows are a few dozen floats: copied inline, not by a memmove call per row.
                    CopyKernel.copySmall(from: source + ih * g.width + firstColumn,
                                         to: plane + row * paddedWidth + firstColumn + g.padLeft,
                                         bytes: (lastColumn - firstColumn) * 4)
                }
                if chainsTaps {
                    let multiplier = g.outChannels / g.channels
                    for oc in (c * multiplier)..<((c + 1) * multiplier) {
                        let out = y + (n * g.outChannels + oc) * outPlane
                        DepthwiseConvolution.chainedChannel(plane, paddedWidth: paddedWidth, weights: w + oc * kernelSize,
                                                            tapOffsets: tapOffsets, taps: kernelSize,
                                                            outHeight: g.outHeight, outWidth: g.outWidth, bias: bias?[oc],
                                                            into: out)
                        activation?.apply(out, to: out, count: outPlane)
                    }
                    continue
                }
                let out = y + (n * g.channels + c) * outPlane
                DepthwiseConvolution.channel(plane, paddedWidth: paddedWidth, weights: w + c * kernelSize,
                                             tapOffsets: tapOffsets, taps: kernelSize,
                                             outHeight: g.outHeight, outWidth: g.outWidth, bias: bias?[c],
                                             into: out)
                activation?.apply(out, to: out, count: outPlane)
            }
        }
    }
}

package enum DepthwiseConvolution {
    /// One channel: y[oh, ow] = sum over taps of w[tap] * plane[oh * paddedWidth + ow + tapOffsets[tap]]
    /// (+ bias), in blocks of 4, 2, 1 taps as `ConvKernel.accumulateInBlocks` rounds.
    @inline(__always)
    package static func channel(_ plane: UnsafePointer<Float>, paddedWidth: Int, weights: UnsafePointer<Float>,
                        tapOffsets: UnsafePointer<Int>, taps: Int, outHeight: Int, outWidth: Int, bias: Float?,
                        into y: UnsafeMutablePointer<Float>, kernels: KernelSet = .active) {
        #if arch(x86_64)
        if kernels == .avx2 {
            asr_avx2_depthwise_channel(plane, paddedWidth, weights, tapOffsets, taps, outHeight, outWidth,
                                       bias == nil ? 0 : 1, bias ?? 0, y)
            return
        }
        #endif
        for oh in 0..<outHeight {
            var ow = 0
            while ow < outWidth {
                let origin = UnsafeRawPointer(plane + oh * paddedWidth + ow)
                @inline(__always) func product(_ tap: Int) -> SIMD8<Float> {
                    SIMD8(repeating: weights[tap]) * origin.loadUnaligned(fromByteOffset: tapOffsets[tap] * 4, as: SIMD8<Float>.self)
                }
                var acc = SIMD8<Float>()
                var tap = 0
                while taps - tap >= 4 {
                    var partial = product(tap)
                    partial = partial + product(tap + 1)
                    partial = partial + product(tap + 2)
                    partial = partial + product(tap + 3)
                    acc = partial + acc
                    tap += 4
                }
                if taps - tap >= 2 {
                    acc = (product(tap) + product(tap + 1)) + acc
                    tap += 2
                }
                if taps - tap == 1 { acc = product(tap) + acc }
                if let bias { acc = acc + SIMD8(repeating: bias) }
                let out = y + oh * outWidth + ow
                if ow + 8 <= outWidth {
                    UnsafeMutableRawPointer(out).storeBytes(of: acc, as: SIMD8<Float>.self)
                } else {
                    for lane in 0..<(outWidth - ow) { out[lane] = acc[lane] }
                }
                ow += 8
            }
        }
    }

    /// One channel: y[oh, ow] = one FMA chain from zero over the taps in order, then + bias.
    /// Six 8-column vectors of the plane at a time (six independent chains; a last group overlaps
    /// the one before it, recomputing the same bits), so the chains' latency overlaps.
    @inline(__always)
    package static func chainedChannel(_ plane: UnsafePointer<Float>, paddedWidth: Int, weights: UnsafePointer<Float>,
                               tapOffsets: UnsafePointer<Int>, taps: Int, outHeight: Int, outWidth: Int, bias: Float?,
                               into y: UnsafeMutablePointer<Float>, kernels: KernelSet = .active) {
        #if arch(x86_64)
        if kernels == .avx2 {
            asr_avx2_depthwise_chained_channel(plane, paddedWidth, weights, tapOffsets, taps, outHeight, outWidth,
                                               bias == nil ? 0 : 1, bias ?? 0, y)
            return
        }
        #endif
        let perRow = (outWidth + 7) / 8, count = outHeight * perRow
        @inline(__always) func origin(_ vector: Int) -> UnsafeRawPointer {
            UnsafeRawPointer(plane + (vector / perRow) * paddedWidth + (vector % perRow) * 8)
        }
        @inline(__always) func store(_ sum: SIMD8<Float>, _ vector: Int) {
            store(sum, row: vector / perRow, column: vector % perRow)
        }
        @inline(__always) func store(_ sum: SIMD8<Float>, row: Int, column: Int) {
            var sum = sum
            if let bias { sum = sum + SIMD8(repeating: bias) }
            let ow = column * 8
            let out = y + row * outWidth + ow
            if ow + 8 <= outWidth {
                UnsafeMutableRawPointer(out).storeBytes(of: sum, as: SIMD8<Float>.self)
            } else {
                for lane in 0..<(outWidth - ow) { out[lane] = sum[lane] }
            }
        }
        if count < 6 {
            for vector in 0..<count {
                let o = origin(vector)
                var acc = SIMD8<Float>()
                for tap in 0..<taps {
                    acc = acc.addingProduct(SIMD8(repeating: weights[tap]), o.loadUnaligned(fromByteOffset: tapOffsets[tap] * 4, as: SIMD8<Float>.self))
                }
                store(acc, vector)
            }
            return
        }
        if perRow == 3 && outHeight >= 4 {
            fourRowsOfThree(plane, paddedWidth: paddedWidth, weights: weights, tapOffsets: tapOffsets, taps: taps,
                            outHeight: outHeight, store: store(_:row:column:))
            return
        }
        var next = 0
        while next < count {
            let first = Swift.min(next, count - 6)
            let o0 = origin(first), o1 = origin(first + 1), o2 = origin(first + 2)
            let o3 = origin(first + 3), o4 = origin(first + 4), o5 = origin(first + 5)
            var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>()
            var a3 = SIMD8<Float>(), a4 = SIMD8<Float>(), a5 = SIMD8<Float>()
            for tap in 0..<taps {
                let w = SIMD8<Float>(repeating: weights[tap]), offset = tapOffsets[tap] * 4
                a0 = a0.addingProduct(w, o0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a1 = a1.addingProduct(w, o1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a2 = a2.addingProduct(w, o2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a3 = a3.addingProduct(w, o3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a4 = a4.addingProduct(w, o4.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a5 = a5.addingProduct(w, o5.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
            }
            store(a0, first); store(a1, first + 1); store(a2, first + 2)
            store(a3, first + 3); store(a4, first + 4); store(a5, first + 5)
            next = first + 6
        }
    }

    /// Rows of three 8-column vectors (outputs 17 to 24 wide), four rows at a time: twelve chains,
    /// enough to keep both FMA units busy (FMA latency 4), addressed from four row pointers so the
    /// loop needs few registers. A last group of rows overlaps the one before it (same bits).
    @inline(__always)
    private static func fourRowsOfThree(_ plane: UnsafePointer<Float>, paddedWidth: Int, weights: UnsafePointer<Float>,
                                        tapOffsets: UnsafePointer<Int>, taps: Int, outHeight: Int,
                                        store: (SIMD8<Float>, _ row: Int, _ column: Int) -> Void) {
        var next = 0
        while next < outHeight {
            let row = Swift.min(next, outHeight - 4)
            let r0 = UnsafeRawPointer(plane + row * paddedWidth), r1 = r0 + paddedWidth * 4
            let r2 = r1 + paddedWidth * 4, r3 = r2 + paddedWidth * 4
            var a00 = SIMD8<Float>(), a01 = SIMD8<Float>(), a02 = SIMD8<Float>()
            var a10 = SIMD8<Float>(), a11 = SIMD8<Float>(), a12 = SIMD8<Float>()
            var a20 = SIMD8<Float>(), a21 = SIMD8<Float>(), a22 = SIMD8<Float>()
            var a30 = SIMD8<Float>(), a31 = SIMD8<Float>(), a32 = SIMD8<Float>()
            for tap in 0..<taps {
                let w = SIMD8<Float>(repeating: weights[tap]), offset = tapOffsets[tap] * 4
                a00 = a00.addingProduct(w, r0.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a01 = a01.addingProduct(w, r0.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self))
                a02 = a02.addingProduct(w, r0.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self))
                a10 = a10.addingProduct(w, r1.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a11 = a11.addingProduct(w, r1.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self))
                a12 = a12.addingProduct(w, r1.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self))
                a20 = a20.addingProduct(w, r2.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a21 = a21.addingProduct(w, r2.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self))
                a22 = a22.addingProduct(w, r2.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self))
                a30 = a30.addingProduct(w, r3.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self))
                a31 = a31.addingProduct(w, r3.loadUnaligned(fromByteOffset: offset + 32, as: SIMD8<Float>.self))
                a32 = a32.addingProduct(w, r3.loadUnaligned(fromByteOffset: offset + 64, as: SIMD8<Float>.self))
            }
            store(a00, row, 0); store(a01, row, 1); store(a02, row, 2)
            store(a10, row + 1, 0); store(a11, row + 1, 1); store(a12, row + 1, 2)
            store(a20, row + 2, 0); store(a21, row + 2, 1); store(a22, row + 2, 2)
            store(a30, row + 3, 0); store(a31, row + 3, 1); store(a32, row + 3, 2)
            next = row + 4
        }
    }
}
