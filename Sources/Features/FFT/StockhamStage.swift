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
        var i = 0
        while i < quarter {
            let ar = loadVector(x.real + i), ai = loadVector(x.imaginary + i)
            let br = loadVector(x.real + i + quarter), bi = loadVector(x.imaginary + i + quarter)
            let cr = loadVector(x.real + i + 2 * quarter), ci = loadVector(x.imaginary + i + 2 * quarter)
            let dr = loadVector(x.real + i + 3 * quarter), di = loadVector(x.imaginary + i + 3 * quarter)
            let apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci
            let bpdR = br + dr, bpdI = bi + di, bmdR = br - dr, bmdI = bi - di
            let y0r = apcR + bpdR, y0i = apcI + bpdI
            let t1r = amcR + bmdI, t1i = amcI - bmdR
            let t2r = apcR - bpdR, t2i = apcI - bpdI
            let t3r = amcR - bmdI, t3i = amcI + bmdR
            let v1r = loadVector(w1r + i), v1i = loadVector(w1i + i)
            let v2r = loadVector(w2r + i), v2i = loadVector(w2i + i)
            let v3r = loadVector(w3r + i), v3i = loadVector(w3i + i)
            let y1r = (t1r * v1r).addingProduct(-t1i, v1i), y1i = (t1r * v1i).addingProduct(t1i, v1r)
            let y2r = (t2r * v2r).addingProduct(-t2i, v2i), y2i = (t2r * v2i).addingProduct(t2i, v2r)
            let y3r = (t3r * v3r).addingProduct(-t3i, v3i), y3i = (t3r * v3i).addingProduct(t3i, v3r)
            Self.storeButterflies(y0r, y1r, y2r, y3r, stride: s, index: i, into: y.real)
            Self.storeButterflies(y0i, y1i, y2i, y3i, stride: s, index: i, into: y.imaginary)
            i += 8
        }
    }

    /// Stores output k of the butterflies at lanes i..i+7 to y[q + s*(4p + k)].
    @inline(__always)
    private static func storeButterflies(_ y0: Vector8, _ y1: Vector8, _ y2: Vector8, _ y3: Vector8,
                                         stride s: Int, index i: Int, into y: UnsafeMutablePointer<Float>) {
        if s >= 8 {
            let base = (i % s) + 4 * s * (i / s)
            storeVector(y0, y + base)
            storeVector(y1, y + base + s)
            storeVector(y2, y + base + 2 * s)
            storeVector(y3, y + base + 3 * s)
        } else if s == 4 {
            // Lanes 0-3 belong to butterfly p = i/4, lanes 4-7 to p + 1.
            let base = 4 * i
            storeVector(y0.lowHalf, y + base); storeVector(y0.highHalf, y + base + 16)
            storeVector(y1.lowHalf, y + base + 4); storeVector(y1.highHalf, y + base + 20)
            storeVector(y2.lowHalf, y + base + 8); storeVector(y2.highHalf, y + base + 24)
            storeVector(y3.lowHalf, y + base + 12); storeVector(y3.highHalf, y + base + 28)
        } else if s == 2 {
            for pair in 0..<4 {
                let base = 4 * i + 8 * pair
                storeVector(SIMD2(y0[2 * pair], y0[2 * pair + 1]), y + base)
                storeVector(SIMD2(y1[2 * pair], y1[2 * pair + 1]), y + base + 2)
                storeVector(SIMD2(y2[2 * pair], y2[2 * pair + 1]), y + base + 4)
                storeVector(SIMD2(y3[2 * pair], y3[2 * pair + 1]), y + base + 6)
            }
        } else {
            // s == 1: lane j goes to y[4(i + j) + k], a 4x8 transpose done with two rounds of interleaving.
            let evens = interleave(y0, y2), odds = interleave(y1, y3)
            let low = interleave(evens.lowHalf, odds.lowHalf), high = interleave(evens.highHalf, odds.highHalf)
            UnsafeMutableRawPointer(y + 4 * i).storeBytes(of: low, as: SIMD16<Float>.self)
            UnsafeMutableRawPointer(y + 4 * i + 16).storeBytes(of: high, as: SIMD16<Float>.self)
        }
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
