// One pass of a split-complex Stockham FFT, decimation in time: the passes of kissfft's
// mixed-radix recursion (radix 4, plus one radix-2 pass first when N is not a power of 4), run
// breadth first so every pass is a sweep over contiguous memory and no bit reversal is needed.
//
// Before a pass there are N/m sub-transforms of length m, sub-transform o stored at x[o + (N/m) k].
// A radix-r pass with s = N/(r m) combines sub-transforms o + q s (q < r) at frequency k into
// y[o + s (k + m q')], with twiddles W^(q k s), W = e^(-2πi/N).

/// Split-complex data: real parts and imaginary parts in separate arrays.
struct SplitComplexPointer {
    var real: UnsafeMutablePointer<Float>
    var imaginary: UnsafeMutablePointer<Float>
}

struct DecimationInTimePass {
    enum Radix { case two, four }

    let radix: Radix
    /// Length m of the sub-transforms this pass combines.
    let length: Int
    /// s = N / (radix m): the number of transforms of length radix·m after the pass.
    let stride: Int
    /// For passes that vectorize over (o, k) (`usesLaneTwiddles`): offset of the per-lane twiddle
    /// rows (W^k, W^2k, W^3k as real/imaginary rows of N/4 each) in the shared lane-twiddle table;
    /// lanes there run over (o < s, then k), the order the vector loop walks.
    let laneTwiddleOffset: Int

    /// Whether passes of a transform of size n run on vectors (else on lane 0 of them).
    static func isVectorized(count n: Int) -> Bool { n >= 32 }

    /// Whether this pass vectorizes over (o, k) (s < 8), reading per-lane twiddles, rather than over o.
    func usesLaneTwiddles(count n: Int) -> Bool { radix == .four && stride < 8 && Self.isVectorized(count: n) }

    /// Runs the pass on a transform of size `n`. `twiddles` is kissfft's table: n real parts then
    /// n imaginary parts of W^i; `laneTwiddles` the table `laneTwiddleOffset` points into.
    func apply(count n: Int, twiddles: UnsafePointer<Float>, laneTwiddles: UnsafePointer<Float>,
               from x: SplitComplexPointer, to y: SplitComplexPointer) {
        switch radix {
        case .two: applyRadix2(count: n, x, y)
        case .four:
            if !Self.isVectorized(count: n) {
                applyRadix4Scalar(count: n, twiddles: twiddles, x, y)
            } else if !usesLaneTwiddles(count: n) {
                applyRadix4OverSubTransforms(count: n, twiddles: twiddles, x, y)
            } else {
                applyRadix4OverLanes(count: n, twiddles: laneTwiddles + laneTwiddleOffset, x, y)
            }
        }
    }

    /// The first pass when N = 2·4^j: m = 1, so the twiddle is 1 and the butterfly is a sum and a difference.
    private func applyRadix2(count n: Int, _ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let s = stride
        var o = 0
        while o + 8 <= s {
            let ar = loadVector(x.real + o), ai = loadVector(x.imaginary + o)
            let br = loadVector(x.real + o + s), bi = loadVector(x.imaginary + o + s)
            storeVector(ar + br, y.real + o); storeVector(ai + bi, y.imaginary + o)
            storeVector(ar - br, y.real + o + s); storeVector(ai - bi, y.imaginary + o + s)
            o += 8
        }
        while o < s {
            let ar = x.real[o], ai = x.imaginary[o], br = x.real[o + s], bi = x.imaginary[o + s]
            y.real[o] = ar + br; y.imaginary[o] = ai + bi
            y.real[o + s] = ar - br; y.imaginary[o + s] = ai - bi
            o += 1
        }
    }

    private func applyRadix4Scalar(count n: Int, twiddles: UnsafePointer<Float>, _ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let m = length, s = stride
        @inline(__always) func twiddle(_ index: Int) -> SplitComplex {
            SplitComplex(real: Lanes8(repeating: twiddles[index]), imaginary: Lanes8(repeating: twiddles[n + index]))
        }
        @inline(__always) func input(_ index: Int) -> SplitComplex {
            SplitComplex(real: Lanes8(repeating: x.real[index]), imaginary: Lanes8(repeating: x.imaginary[index]))
        }
        @inline(__always) func store(_ value: SplitComplex, _ index: Int) {
            y.real[index] = value.real.first; y.imaginary[index] = value.imaginary.first
        }
        for k in 0..<m {
            let w1 = twiddle(k * s), w2 = twiddle(2 * k * s), w3 = twiddle(3 * k * s)
            for o in 0..<s {
                let source = o + 4 * s * k
                let (y0, y1, y2, y3) = radixFourButterfly(
                    input(source), input(source + s), input(source + 2 * s), input(source + 3 * s), w1, w2, w3)
                let target = o + s * k
                store(y0, target); store(y1, target + s * m); store(y2, target + 2 * s * m); store(y3, target + 3 * s * m)
            }
        }
    }

    /// s >= 8: lanes run over the sub-transform index o, all with the same twiddles.
    private func applyRadix4OverSubTransforms(count n: Int, twiddles: UnsafePointer<Float>, _ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let m = length, s = stride
        @inline(__always) func twiddle(_ index: Int) -> SplitComplex {
            SplitComplex(real: Lanes8(repeating: twiddles[index]), imaginary: Lanes8(repeating: twiddles[n + index]))
        }
        @inline(__always) func input(_ index: Int) -> SplitComplex {
            SplitComplex(real: Lanes8(x.real + index), imaginary: Lanes8(x.imaginary + index))
        }
        @inline(__always) func store(_ value: SplitComplex, _ index: Int) {
            value.real.store(y.real + index); value.imaginary.store(y.imaginary + index)
        }
        for k in 0..<m {
            let w1 = twiddle(k * s), w2 = twiddle(2 * k * s), w3 = twiddle(3 * k * s)
            var o = 0
            while o < s {
                let source = o + 4 * s * k
                let (y0, y1, y2, y3) = radixFourButterfly(
                    input(source), input(source + s), input(source + 2 * s), input(source + 3 * s), w1, w2, w3)
                let target = o + s * k
                store(y0, target); store(y1, target + s * m); store(y2, target + 2 * s * m); store(y3, target + 3 * s * m)
                o += 8
            }
        }
    }

    /// s < 8: lane j holds o = j % s at frequency k0 + j / s, so the outputs of a vector are
    /// contiguous, y[s k0 + j], and the inputs are s-element pieces 4s apart.
    private func applyRadix4OverLanes(count n: Int, twiddles w: UnsafePointer<Float>, _ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let m = length, s = stride, quarter = n / 4
        let frequenciesPerVector = 8 / s
        @inline(__always) func store(_ value: SplitComplex, _ index: Int) {
            value.real.store(y.real + index); value.imaginary.store(y.imaginary + index)
        }
        var k0 = 0, lane = 0
        while k0 < m {
            let source = 4 * s * k0
            let f0: SplitComplex, f1: SplitComplex, f2: SplitComplex, f3: SplitComplex
            if s == 1 {
                // 32 consecutive values hold the four inputs of eight butterflies, interleaved by four.
                let (r0, r1, r2, r3) = loadDeinterleavedByFour(x.real + source)
                let (i0, i1, i2, i3) = loadDeinterleavedByFour(x.imaginary + source)
                (f0, f1, f2, f3) = (SplitComplex(real: Lanes8(r0), imaginary: Lanes8(i0)), SplitComplex(real: Lanes8(r1), imaginary: Lanes8(i1)),
                                    SplitComplex(real: Lanes8(r2), imaginary: Lanes8(i2)), SplitComplex(real: Lanes8(r3), imaginary: Lanes8(i3)))
            } else {
                @inline(__always) func input(_ q: Int) -> SplitComplex {
                    SplitComplex(real: Lanes8(Self.gather(x.real + source + q * s, s)),
                                 imaginary: Lanes8(Self.gather(x.imaginary + source + q * s, s)))
                }
                (f0, f1, f2, f3) = (input(0), input(1), input(2), input(3))
            }
            let w1 = SplitComplex(real: Lanes8(loadVector(w + lane)), imaginary: Lanes8(loadVector(w + quarter + lane)))
            let w2 = SplitComplex(real: Lanes8(loadVector(w + 2 * quarter + lane)), imaginary: Lanes8(loadVector(w + 3 * quarter + lane)))
            let w3 = SplitComplex(real: Lanes8(loadVector(w + 4 * quarter + lane)), imaginary: Lanes8(loadVector(w + 5 * quarter + lane)))
            let (y0, y1, y2, y3) = radixFourButterfly(f0, f1, f2, f3, w1, w2, w3)
            let target = s * k0
            store(y0, target); store(y1, target + s * m); store(y2, target + 2 * s * m); store(y3, target + 3 * s * m)
            k0 += frequenciesPerVector
            lane += 8
        }
    }

    /// Lanes j = 0..<8 from p[(j % s) + 4s (j / s)], for s = 2 or 4.
    @inline(__always)
    private static func gather(_ p: UnsafeMutablePointer<Float>, _ s: Int) -> Vector8 {
        if s == 4 {
            return Vector8(lowHalf: UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self),
                           highHalf: UnsafeRawPointer(p + 16).loadUnaligned(as: SIMD4<Float>.self))
        }
        return Vector8(p[0], p[1], p[8], p[9], p[16], p[17], p[24], p[25])
    }
}
