// One pass of a split-complex Stockham FFT (decimation in frequency, natural-order output), in
// scalar code: RealFFT uses it for inner transforms shorter than 64 points, where LaneParallelFFT
// has too few elements to fill its lanes and speed does not matter.
//
// A pass of radix r over sub-transforms of length L with stride s reads x[q + s*(p + k*L/r)]
// and writes y[q + s*(r*p + k)] for p < L/r, q < s. Writing i = q + s*p, the r inputs of a
// butterfly are x[i + k*n/r].

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
    }

    /// The final radix-2 pass (L = 2, so no twiddles): y[q] = a + b, y[q + n/2] = a - b.
    private func applyRadix2(count n: Int, _ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let half = n / 2
        precondition(length == 2 && stride == half, "radix-2 runs only as the last pass")
        for q in 0..<half {
            let ar = x.real[q], ai = x.imaginary[q], br = x.real[q + half], bi = x.imaginary[q + half]
            y.real[q] = ar + br; y.imaginary[q] = ai + bi
            y.real[q + half] = ar - br; y.imaginary[q + half] = ai - bi
        }
    }
}
