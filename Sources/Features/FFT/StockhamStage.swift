// One pass of a split-complex Stockham FFT (decimation in frequency, natural-order output).
//
// A pass of radix r over sub-transforms of length L with stride s reads x[q + s*(p + k*L/r)]
// and writes y[q + s*(r*p + k)] for p < L/r, q < s. Writing i = q + s*p, the r inputs of a
// butterfly are x[i + k*n/r]: every pass reads r contiguous blocks, so lanes run over i and
// only the stores depend on s (contiguous for s >= 8, in halves or quarters for s = 4 or 2,
// a 4x8 transpose for s = 1).

struct StockhamStage {
    enum Radix { case four, two }

    let radix: Radix
    /// Length L of the sub-transforms this pass splits.
    let length: Int
    /// Distance s between elements of one sub-transform.
    let stride: Int
    /// Offset of this pass's twiddles (w^p, w^2p, w^3p as real/imaginary rows of n/4 each) in the shared table.
    let twiddleOffset: Int
}

/// Split-complex data: real parts and imaginary parts in separate arrays.
struct SplitComplexPointer {
    var real: UnsafeMutablePointer<Float>
    var imaginary: UnsafeMutablePointer<Float>
}

extension StockhamStage {
    /// Runs the pass for a transform of size `count` from `source` into `destination`.
    func apply(count: Int, twiddles: UnsafePointer<Float>, from source: SplitComplexPointer, to destination: SplitComplexPointer) {
        switch radix {
        case .four: applyRadix4(count: count, twiddles: twiddles + twiddleOffset, source, destination)
        case .two: applyRadix2(count: count, source, destination)
        }
    }

    private func applyRadix4(count n: Int, twiddles w: UnsafePointer<Float>, _ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let quarter = n / 4
        let s = stride
        let w1r = w, w1i = w + quarter, w2r = w + 2 * quarter, w2i = w + 3 * quarter, w3r = w + 4 * quarter, w3i = w + 5 * quarter
        guard quarter >= 8 else {
            for i in 0..<quarter {
                let (q, p) = (i % s, i / s)
                let ar = x.real[i], ai = x.imaginary[i]
                let br = x.real[i + quarter], bi = x.imaginary[i + quarter]
                let cr = x.real[i + 2 * quarter], ci = x.imaginary[i + 2 * quarter]
                let dr = x.real[i + 3 * quarter], di = x.imaginary[i + 3 * quarter]
                let apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci
                let bpdR = br + dr, bpdI = bi + di, bmdR = br - dr, bmdI = bi - di
                let base = q + 4 * s * p
                y.real[base] = apcR + bpdR
                y.imaginary[base] = apcI + bpdI
                // (a - c) - j(b - d), (a + c) - (b + d), (a - c) + j(b - d), each times its twiddle.
                let t1r = amcR + bmdI, t1i = amcI - bmdR
                let t2r = apcR - bpdR, t2i = apcI - bpdI
                let t3r = amcR - bmdI, t3i = amcI + bmdR
                y.real[base + s] = t1r * w1r[i] - t1i * w1i[i]
                y.imaginary[base + s] = t1r * w1i[i] + t1i * w1r[i]
                y.real[base + 2 * s] = t2r * w2r[i] - t2i * w2i[i]
                y.imaginary[base + 2 * s] = t2r * w2i[i] + t2i * w2r[i]
                y.real[base + 3 * s] = t3r * w3r[i] - t3i * w3i[i]
                y.imaginary[base + 3 * s] = t3r * w3i[i] + t3i * w3r[i]
            }
            return
        }
        // One loop per store pattern: a loop body that mixes whole-vector and half-vector stores makes
        // LLVM split every operation into 128-bit halves.
        let twiddles = Radix4Twiddles(w1r: w1r, w1i: w1i, w2r: w2r, w2i: w2i, w3r: w3r, w3i: w3i)
        switch s {
        case 1:
            // Lane j goes to y[4(i + j) + k]: a 4x8 transpose done with two rounds of interleaving.
            for i in Swift.stride(from: 0, to: quarter, by: 8) {
                let (y0r, y0i, y1r, y1i, y2r, y2i, y3r, y3i) = Self.butterflies(x, i, quarter, twiddles)
                Self.storeTransposed(y0r, y1r, y2r, y3r, into: y.real + 4 * i)
                Self.storeTransposed(y0i, y1i, y2i, y3i, into: y.imaginary + 4 * i)
            }
        case 2:
            for i in Swift.stride(from: 0, to: quarter, by: 8) {
                let (y0r, y0i, y1r, y1i, y2r, y2i, y3r, y3i) = Self.butterflies(x, i, quarter, twiddles)
                Self.storePairs(y0r, y1r, y2r, y3r, into: y.real + 4 * i)
                Self.storePairs(y0i, y1i, y2i, y3i, into: y.imaginary + 4 * i)
            }
        case 4:
            for i in Swift.stride(from: 0, to: quarter, by: 8) {
                let (y0r, y0i, y1r, y1i, y2r, y2i, y3r, y3i) = Self.butterflies(x, i, quarter, twiddles)
                Self.storeQuads(y0r, y1r, y2r, y3r, into: y.real + 4 * i)
                Self.storeQuads(y0i, y1i, y2i, y3i, into: y.imaginary + 4 * i)
            }
        default:
            // The eight lanes share p = i / s; s is a power of two, so shift and mask.
            let shift = s.trailingZeroBitCount
            for i in Swift.stride(from: 0, to: quarter, by: 8) {
                let (y0r, y0i, y1r, y1i, y2r, y2i, y3r, y3i) = Self.butterflies(x, i, quarter, twiddles)
                let base = (i & (s - 1)) + ((i >> shift) << (shift + 2))
                storeVector(y0r, y.real + base); storeVector(y0i, y.imaginary + base)
                storeVector(y1r, y.real + base + s); storeVector(y1i, y.imaginary + base + s)
                storeVector(y2r, y.real + base + 2 * s); storeVector(y2i, y.imaginary + base + 2 * s)
                storeVector(y3r, y.real + base + 3 * s); storeVector(y3i, y.imaginary + base + 3 * s)
            }
        }
    }

    struct Radix4Twiddles {
        let w1r, w1i, w2r, w2i, w3r, w3i: UnsafePointer<Float>
    }

    /// The radix-4 butterflies of lanes i ..< i+8: outputs 0-3 (real, imaginary), twiddles applied.
    @inline(__always)
    private static func butterflies(_ x: SplitComplexPointer, _ i: Int, _ quarter: Int, _ w: Radix4Twiddles)
        -> (Vector8, Vector8, Vector8, Vector8, Vector8, Vector8, Vector8, Vector8) {
        let ar = loadVector(x.real + i), ai = loadVector(x.imaginary + i)
        let br = loadVector(x.real + i + quarter), bi = loadVector(x.imaginary + i + quarter)
        let cr = loadVector(x.real + i + 2 * quarter), ci = loadVector(x.imaginary + i + 2 * quarter)
        let dr = loadVector(x.real + i + 3 * quarter), di = loadVector(x.imaginary + i + 3 * quarter)
        let apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci
        let bpdR = br + dr, bpdI = bi + di, bmdR = br - dr, bmdI = bi - di
        // (a - c) - j(b - d), (a + c) - (b + d), (a - c) + j(b - d), each times its twiddle.
        let t1r = amcR + bmdI, t1i = amcI - bmdR
        let t2r = apcR - bpdR, t2i = apcI - bpdI
        let t3r = amcR - bmdI, t3i = amcI + bmdR
        let v1r = loadVector(w.w1r + i), v1i = loadVector(w.w1i + i)
        let v2r = loadVector(w.w2r + i), v2i = loadVector(w.w2i + i)
        let v3r = loadVector(w.w3r + i), v3i = loadVector(w.w3i + i)
        return (apcR + bpdR, apcI + bpdI,
                (t1r * v1r).addingProduct(-t1i, v1i), (t1r * v1i).addingProduct(t1i, v1r),
                (t2r * v2r).addingProduct(-t2i, v2i), (t2r * v2i).addingProduct(t2i, v2r),
                (t3r * v3r).addingProduct(-t3i, v3i), (t3r * v3i).addingProduct(t3i, v3r))
    }

    /// s = 1: y[4j + k] = yk[j].
    @inline(__always)
    private static func storeTransposed(_ y0: Vector8, _ y1: Vector8, _ y2: Vector8, _ y3: Vector8, into y: UnsafeMutablePointer<Float>) {
        let evens = interleave(y0, y2), odds = interleave(y1, y3)
        UnsafeMutableRawPointer(y).storeBytes(of: interleave(evens.lowHalf, odds.lowHalf), as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(y + 16).storeBytes(of: interleave(evens.highHalf, odds.highHalf), as: SIMD16<Float>.self)
    }

    /// s = 2: lanes (2j, 2j+1) of yk go to y[8j + 2k ..< 8j + 2k + 2].
    @inline(__always)
    private static func storePairs(_ y0: Vector8, _ y1: Vector8, _ y2: Vector8, _ y3: Vector8, into y: UnsafeMutablePointer<Float>) {
        for pair in 0..<4 {
            storeVector(Vector8(y0[2 * pair], y0[2 * pair + 1], y1[2 * pair], y1[2 * pair + 1],
                                y2[2 * pair], y2[2 * pair + 1], y3[2 * pair], y3[2 * pair + 1]), y + 8 * pair)
        }
    }

    /// s = 4: lanes 0-3 of yk go to y[4k ..< 4k + 4], lanes 4-7 to y[16 + 4k ..< 16 + 4k + 4].
    @inline(__always)
    private static func storeQuads(_ y0: Vector8, _ y1: Vector8, _ y2: Vector8, _ y3: Vector8, into y: UnsafeMutablePointer<Float>) {
        storeVector(Vector8(lowHalf: y0.lowHalf, highHalf: y1.lowHalf), y)
        storeVector(Vector8(lowHalf: y2.lowHalf, highHalf: y3.lowHalf), y + 8)
        storeVector(Vector8(lowHalf: y0.highHalf, highHalf: y1.highHalf), y + 16)
        storeVector(Vector8(lowHalf: y2.highHalf, highHalf: y3.highHalf), y + 24)
    }

    /// The final radix-2 pass (L = 2, so no twiddles): y[q] = a + b, y[q + n/2] = a - b.
    private func applyRadix2(count n: Int, _ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let half = n / 2
        precondition(length == 2 && stride == half, "radix-2 runs only as the last pass")
        guard half >= 8 else {
            for q in 0..<half {
                let ar = x.real[q], ai = x.imaginary[q], br = x.real[q + half], bi = x.imaginary[q + half]
                y.real[q] = ar + br; y.imaginary[q] = ai + bi
                y.real[q + half] = ar - br; y.imaginary[q + half] = ai - bi
            }
            return
        }
        var q = 0
        while q < half {
            let ar = loadVector(x.real + q), ai = loadVector(x.imaginary + q)
            let br = loadVector(x.real + q + half), bi = loadVector(x.imaginary + q + half)
            storeVector(ar + br, y.real + q); storeVector(ai + bi, y.imaginary + q)
            storeVector(ar - br, y.real + q + half); storeVector(ai - bi, y.imaginary + q + half)
            q += 8
        }
    }
}
