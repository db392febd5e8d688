#if arch(x86_64)
import CKernels
#endif

/// The per-channel loops of `FastDepthwiseConvKernel` over one zero-bordered plane, free of the
/// kernel's state so that they also build alone (the arm64 check, tools/check-portable-kernels-arm64).
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
