import Foundation

/// Complex FFT of size n = 8m (m >= 8, both powers of two) in split form, written so that every
/// arithmetic step works on whole 8-lane vectors (the four-step method):
///
/// 1. Lane l holds the decimated sequence z[8e + l], e < m, so vector e is z[8e ..< 8e+8]: a plain
///    load. Eight m-point FFTs run side by side as a Stockham FFT whose elements are vectors.
/// 2. Each result Y_l[k2] is multiplied by the twiddle W_n^(l k2).
/// 3. For each k2, an 8-point DFT across l gives X[k2 + m k1]. Lanes now run over k2, so the inputs
///    are gathered with stride 8 (the one transpose of the method) and the outputs are stored in
///    natural order with plain vector stores.
struct LaneParallelFFT {
    let count: Int
    /// m, the length of the transforms that run across the lanes.
    let laneLength: Int
    private let passes: [(radix: Int, length: Int, stride: Int, twiddleOffset: Int)]
    /// Scalar twiddles of the inner passes: for each radix-4 pass, W_L^(kp) for k = 1...3, p < L/4 (re, im).
    private let passTwiddles: UnsafeMutablePointer<Float>
    /// W_n^(l k2) stored as [l][k2] (re block, then im block), read with lanes over k2.
    private let crossTwiddles: UnsafeMutablePointer<Float>

    init(count n: Int) {
        precondition(n >= 64 && n & (n - 1) == 0)
        count = n
        let m = n / 8
        laneLength = m
        var plan: [(Int, Int, Int, Int)] = []
        var length = m, stride = 1, offset = 0
        while length >= 4 {
            plan.append((4, length, stride, offset))
            offset += 6 * (length / 4)
            length /= 4
            stride *= 4
        }
        if length == 2 { plan.append((2, 2, stride, offset)) }
        passes = plan
        passTwiddles = .allocate(capacity: max(offset, 1))
        for pass in plan where pass.0 == 4 {
            let quarter = pass.1 / 4
            for p in 0..<quarter {
                for k in 1...3 {
                    let angle = -2 * Double.pi * Double(k * p) / Double(pass.1)
                    passTwiddles[pass.3 + (2 * (k - 1)) * quarter + p] = Float(cos(angle))
                    passTwiddles[pass.3 + (2 * (k - 1) + 1) * quarter + p] = Float(sin(angle))
                }
            }
        }
        crossTwiddles = .allocate(capacity: 2 * n)
        for l in 0..<8 {
            for k2 in 0..<m {
                let angle = -2 * Double.pi * Double(l * k2) / Double(n)
                crossTwiddles[l * m + k2] = Float(cos(angle))
                crossTwiddles[n + l * m + k2] = Float(sin(angle))
            }
        }
    }

    func deallocate() {
        passTwiddles.deallocate()
        crossTwiddles.deallocate()
    }

    /// Transforms `data` (natural order, n values in each of real/imaginary); `scratch` is a second
    /// buffer of the same size. The result is in natural order in `data`.
    func transform(_ data: SplitComplexPointer, scratch: SplitComplexPointer) {
        var source = data, destination = scratch
        for pass in passes {
            if pass.radix == 4 {
                vectorRadix4(length: pass.length, stride: pass.stride, twiddles: passTwiddles + pass.twiddleOffset, source, destination)
            } else {
                vectorRadix2(source, destination)
            }
            swap(&source, &destination)
        }
        // The cross-lane step reads `source` and must write `data`; copy if the passes ended there.
        if source.real == data.real {
            let n = count
            scratch.real.update(from: data.real, count: n)
            scratch.imaginary.update(from: data.imaginary, count: n)
            source = scratch
        }
        crossLaneDFT8(source, data)
    }

    /// A radix-4 Stockham pass over vector elements: y[q + s(4p + k)] from x[q + s(p + kL/4)].
    private func vectorRadix4(length: Int, stride s: Int, twiddles w: UnsafePointer<Float>, _ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let quarterLength = length / 4
        let quarter = 8 * (laneLength / 4)  // float offset between the four inputs
        for p in 0..<quarterLength {
            let w1r = Vector8(repeating: w[p]), w1i = Vector8(repeating: w[quarterLength + p])
            let w2r = Vector8(repeating: w[2 * quarterLength + p]), w2i = Vector8(repeating: w[3 * quarterLength + p])
            let w3r = Vector8(repeating: w[4 * quarterLength + p]), w3i = Vector8(repeating: w[5 * quarterLength + p])
            for q in 0..<s {
                let input = 8 * (q + s * p), output = 8 * (q + 4 * s * p), step = 8 * s
                let ar = loadVector(x.real + input), ai = loadVector(x.imaginary + input)
                let br = loadVector(x.real + input + quarter), bi = loadVector(x.imaginary + input + quarter)
                let cr = loadVector(x.real + input + 2 * quarter), ci = loadVector(x.imaginary + input + 2 * quarter)
                let dr = loadVector(x.real + input + 3 * quarter), di = loadVector(x.imaginary + input + 3 * quarter)
                let apcR = ar + cr, apcI = ai + ci, amcR = ar - cr, amcI = ai - ci
                let bpdR = br + dr, bpdI = bi + di, bmdR = br - dr, bmdI = bi - di
                // (a - c) - j(b - d), (a + c) - (b + d), (a - c) + j(b - d), each times its twiddle.
                let t1r = amcR + bmdI, t1i = amcI - bmdR
                let t2r = apcR - bpdR, t2i = apcI - bpdI
                let t3r = amcR - bmdI, t3i = amcI + bmdR
                storeVector(apcR + bpdR, y.real + output)
                storeVector(apcI + bpdI, y.imaginary + output)
                storeVector((t1r * w1r).addingProduct(-t1i, w1i), y.real + output + step)
                storeVector((t1r * w1i).addingProduct(t1i, w1r), y.imaginary + output + step)
                storeVector((t2r * w2r).addingProduct(-t2i, w2i), y.real + output + 2 * step)
                storeVector((t2r * w2i).addingProduct(t2i, w2r), y.imaginary + output + 2 * step)
                storeVector((t3r * w3r).addingProduct(-t3i, w3i), y.real + output + 3 * step)
                storeVector((t3r * w3i).addingProduct(t3i, w3r), y.imaginary + output + 3 * step)
            }
        }
    }

    /// The last pass when log2(m) is odd (L = 2, no twiddles): y[q] = a + b, y[q + m/2] = a - b.
    private func vectorRadix2(_ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let half = 8 * (laneLength / 2)
        for q in Swift.stride(from: 0, to: half, by: 8) {
            let ar = loadVector(x.real + q), ai = loadVector(x.imaginary + q)
            let br = loadVector(x.real + q + half), bi = loadVector(x.imaginary + q + half)
            storeVector(ar + br, y.real + q); storeVector(ai + bi, y.imaginary + q)
            storeVector(ar - br, y.real + q + half); storeVector(ai - bi, y.imaginary + q + half)
        }
    }

    /// Gathers lane l of vectors k2 ..< k2+8 (stride 8 floats): the transpose of one 8x8 block.
    @inline(__always)
    private static func gather(_ p: UnsafePointer<Float>) -> Vector8 {
        Vector8(p[0], p[8], p[16], p[24], p[32], p[40], p[48], p[56])
    }

    /// Steps 2 and 3: twiddle, then the 8-point DFT across the original lanes, natural-order output.
    private func crossLaneDFT8(_ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let m = laneLength, n = count
        let half = Vector8(repeating: Float(0.5.squareRoot()))
        for k2 in Swift.stride(from: 0, to: m, by: 8) {
            // Element l (lanes k2 ..< k2+8) sits at x[8 k2' + l].
            @inline(__always) func input(_ l: Int) -> (Vector8, Vector8) {
                let r = Self.gather(x.real + 8 * k2 + l), i = Self.gather(x.imaginary + 8 * k2 + l)
                let wr = loadVector(crossTwiddles + l * m + k2), wi = loadVector(crossTwiddles + n + l * m + k2)
                return ((r * wr).addingProduct(-i, wi), (r * wi).addingProduct(i, wr))
            }
            let (a0r, a0i) = input(0), (a1r, a1i) = input(1), (a2r, a2i) = input(2), (a3r, a3i) = input(3)
            let (a4r, a4i) = input(4), (a5r, a5i) = input(5), (a6r, a6i) = input(6), (a7r, a7i) = input(7)
            // Even and odd 4-point DFTs.
            let e0r = a0r + a4r, e0i = a0i + a4i, e1r = a0r - a4r, e1i = a0i - a4i
            let e2r = a2r + a6r, e2i = a2i + a6i, e3r = a2r - a6r, e3i = a2i - a6i
            let E0r = e0r + e2r, E0i = e0i + e2i, E2r = e0r - e2r, E2i = e0i - e2i
            let E1r = e1r + e3i, E1i = e1i - e3r, E3r = e1r - e3i, E3i = e1i + e3r
            let o0r = a1r + a5r, o0i = a1i + a5i, o1r = a1r - a5r, o1i = a1i - a5i
            let o2r = a3r + a7r, o2i = a3i + a7i, o3r = a3r - a7r, o3i = a3i - a7i
            let O0r = o0r + o2r, O0i = o0i + o2i, O2r = o0r - o2r, O2i = o0i - o2i
            let O1r = o1r + o3i, O1i = o1i - o3r, O3r = o1r - o3i, O3i = o1i + o3r
            // W8^1 O1, W8^2 O2 = -j O2, W8^3 O3.
            let P1r = half * (O1r + O1i), P1i = half * (O1i - O1r)
            let P2r = O2i, P2i = -O2r
            let P3r = half * (O3i - O3r), P3i = -half * (O3r + O3i)
            let out = k2
            storeVector(E0r + O0r, y.real + out); storeVector(E0i + O0i, y.imaginary + out)
            storeVector(E1r + P1r, y.real + out + m); storeVector(E1i + P1i, y.imaginary + out + m)
            storeVector(E2r + P2r, y.real + out + 2 * m); storeVector(E2i + P2i, y.imaginary + out + 2 * m)
            storeVector(E3r + P3r, y.real + out + 3 * m); storeVector(E3i + P3i, y.imaginary + out + 3 * m)
            storeVector(E0r - O0r, y.real + out + 4 * m); storeVector(E0i - O0i, y.imaginary + out + 4 * m)
            storeVector(E1r - P1r, y.real + out + 5 * m); storeVector(E1i - P1i, y.imaginary + out + 5 * m)
            storeVector(E2r - P2r, y.real + out + 6 * m); storeVector(E2i - P2i, y.imaginary + out + 6 * m)
            storeVector(E3r - P3r, y.real + out + 7 * m); storeVector(E3i - P3i, y.imaginary + out + 7 * m)
        }
    }
}
