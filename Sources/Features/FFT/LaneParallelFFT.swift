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
        while length > 8 {
            plan.append((4, length, stride, offset))
            offset += 6 * (length / 4)
            length /= 4
            stride *= 4
        }
        // The last pass has p = 0 only, so no twiddles: radix 8 saves a sweep over the data.
        if length == 8 { plan.append((8, 8, stride, offset)) }
        if length == 4 { plan.append((4, 4, stride, offset)); offset += 6 }
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

    /// Transforms the n complex numbers packed in `input` as interleaved (real, imaginary) pairs, using
    /// `first` and `second` (n + 8 floats each way) as work space; returns the one holding the result,
    /// in natural order. The first pass reads `input` directly, which saves a separate unpacking sweep.
    func transform(interleaved input: UnsafePointer<Float>, first: SplitComplexPointer, second: SplitComplexPointer) -> SplitComplexPointer {
        var source: SplitComplexPointer? = nil
        var destination = first, spare = second
        for pass in passes {
            let from = source ?? destination  // unused when reading `input`
            let interleaved = source == nil ? input : nil
            switch pass.radix {
            case 4: vectorRadix4(length: pass.length, stride: pass.stride, twiddles: passTwiddles + pass.twiddleOffset,
                                 from, interleaved, destination)
            case 8: vectorRadix8(from, interleaved, destination)
            default: vectorRadix2(from, interleaved, destination)
            }
            source = destination
            swap(&destination, &spare)
        }
        crossLaneDFT8(source ?? first, destination)
        return destination
    }

    /// Element vector at float offset `offset` of the split data, or of the interleaved input when given.
    @inline(__always)
    private static func load(_ x: SplitComplexPointer, _ interleaved: UnsafePointer<Float>?, _ offset: Int) -> (Vector8, Vector8) {
        if let interleaved {
            let pair = UnsafeRawPointer(interleaved + (offset &<< 1)).loadUnaligned(as: SIMD16<Float>.self)
            return (pair.evenHalf, pair.oddHalf)
        }
        return (loadVector(x.real + offset), loadVector(x.imaginary + offset))
    }

    /// A radix-4 Stockham pass over vector elements: y[q + s(4p + k)] from x[q + s(p + kL/4)].
    private func vectorRadix4(length: Int, stride s: Int, twiddles w: UnsafePointer<Float>,
                              _ x: SplitComplexPointer, _ interleaved: UnsafePointer<Float>?, _ y: SplitComplexPointer) {
        let quarterLength = length / 4
        // Float offsets between the four inputs and between the four outputs; index arithmetic in the
        // loop wraps (&+, &*) because the sizes were validated in init and overflow traps cost time here.
        let quarter = 8 * (laneLength / 4), quarter2 = 2 * quarter, quarter3 = 3 * quarter
        let step = 8 * s, step2 = 2 * step, step3 = 3 * step
        for p in 0..<quarterLength {
            let w1r = Vector8(repeating: w[p]), w1i = Vector8(repeating: w[quarterLength + p])
            let w2r = Vector8(repeating: w[2 * quarterLength + p]), w2i = Vector8(repeating: w[3 * quarterLength + p])
            let w3r = Vector8(repeating: w[4 * quarterLength + p]), w3i = Vector8(repeating: w[5 * quarterLength + p])
            for q in 0..<s {
                let input = (q &+ s &* p) &<< 3, output = (q &+ (s &* p) &<< 2) &<< 3
                let (ar, ai) = Self.load(x, interleaved, input), (br, bi) = Self.load(x, interleaved, input &+ quarter)
                let (cr, ci) = Self.load(x, interleaved, input &+ quarter2), (dr, di) = Self.load(x, interleaved, input &+ quarter3)
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
                storeVector((t2r * w2r).addingProduct(-t2i, w2i), y.real + output + step2)
                storeVector((t2r * w2i).addingProduct(t2i, w2r), y.imaginary + output + step2)
                storeVector((t3r * w3r).addingProduct(-t3i, w3i), y.real + output + step3)
                storeVector((t3r * w3i).addingProduct(t3i, w3r), y.imaginary + output + step3)
            }
        }
    }

    /// The last pass when log2(m) is odd (L = 2, no twiddles): y[q] = a + b, y[q + m/2] = a - b.
    private func vectorRadix2(_ x: SplitComplexPointer, _ interleaved: UnsafePointer<Float>?, _ y: SplitComplexPointer) {
        let half = 8 * (laneLength / 2)
        for q in Swift.stride(from: 0, to: half, by: 8) {
            let (ar, ai) = Self.load(x, interleaved, q), (br, bi) = Self.load(x, interleaved, q + half)
            storeVector(ar + br, y.real + q); storeVector(ai + bi, y.imaginary + q)
            storeVector(ar - br, y.real + q + half); storeVector(ai - bi, y.imaginary + q + half)
        }
    }

    /// The last pass when L = 8 (p = 0, no twiddles): an 8-point DFT over x[q + j m/8], written to y[q + k m/8].
    private func vectorRadix8(_ x: SplitComplexPointer, _ interleaved: UnsafePointer<Float>?, _ y: SplitComplexPointer) {
        let eighth = 8 * (laneLength / 8)
        for q in Swift.stride(from: 0, to: eighth, by: 8) {
            @inline(__always) func input(_ j: Int) -> ComplexVector {
                let (real, imaginary) = Self.load(x, interleaved, q &+ j &* eighth)
                return ComplexVector(real: real, imaginary: imaginary)
            }
            let outputs = Self.dft8((input(0), input(1), input(2), input(3), input(4), input(5), input(6), input(7)))
            Self.store(outputs, to: y, at: q, step: eighth)
        }
    }

    /// Eight lanes of complex numbers.
    struct ComplexVector {
        var real: Vector8
        var imaginary: Vector8
    }

    typealias Eight = (ComplexVector, ComplexVector, ComplexVector, ComplexVector,
                       ComplexVector, ComplexVector, ComplexVector, ComplexVector)

    @inline(__always)
    private static func store(_ values: Eight, to y: SplitComplexPointer, at offset: Int, step: Int) {
        @inline(__always) func put(_ value: ComplexVector, _ k: Int) {
            storeVector(value.real, y.real + (offset &+ k &* step))
            storeVector(value.imaginary, y.imaginary + (offset &+ k &* step))
        }
        put(values.0, 0); put(values.1, 1); put(values.2, 2); put(values.3, 3)
        put(values.4, 4); put(values.5, 5); put(values.6, 6); put(values.7, 7)
    }

    /// An 8-point forward DFT of vectors: X_k = sum_j a_j W8^(jk), as two 4-point DFTs (even, odd j).
    @inline(__always)
    private static func dft8(_ a: Eight) -> Eight {
        let half = Vector8(repeating: Float(0.5.squareRoot()))
        let (a0, a1, a2, a3, a4, a5, a6, a7) = a
        let e0r = a0.real + a4.real, e0i = a0.imaginary + a4.imaginary, e1r = a0.real - a4.real, e1i = a0.imaginary - a4.imaginary
        let e2r = a2.real + a6.real, e2i = a2.imaginary + a6.imaginary, e3r = a2.real - a6.real, e3i = a2.imaginary - a6.imaginary
        let E0r = e0r + e2r, E0i = e0i + e2i, E2r = e0r - e2r, E2i = e0i - e2i
        let E1r = e1r + e3i, E1i = e1i - e3r, E3r = e1r - e3i, E3i = e1i + e3r
        let o0r = a1.real + a5.real, o0i = a1.imaginary + a5.imaginary, o1r = a1.real - a5.real, o1i = a1.imaginary - a5.imaginary
        let o2r = a3.real + a7.real, o2i = a3.imaginary + a7.imaginary, o3r = a3.real - a7.real, o3i = a3.imaginary - a7.imaginary
        let O0r = o0r + o2r, O0i = o0i + o2i, O2r = o0r - o2r, O2i = o0i - o2i
        let O1r = o1r + o3i, O1i = o1i - o3r, O3r = o1r - o3i, O3i = o1i + o3r
        // W8^1 O1, W8^2 O2 = -j O2, W8^3 O3.
        let P1r = half * (O1r + O1i), P1i = half * (O1i - O1r)
        let P2r = O2i, P2i = -O2r
        let P3r = half * (O3i - O3r), P3i = -half * (O3r + O3i)
        return (ComplexVector(real: E0r + O0r, imaginary: E0i + O0i),
                ComplexVector(real: E1r + P1r, imaginary: E1i + P1i),
                ComplexVector(real: E2r + P2r, imaginary: E2i + P2i),
                ComplexVector(real: E3r + P3r, imaginary: E3i + P3i),
                ComplexVector(real: E0r - O0r, imaginary: E0i - O0i),
                ComplexVector(real: E1r - P1r, imaginary: E1i - P1i),
                ComplexVector(real: E2r - P2r, imaginary: E2i - P2i),
                ComplexVector(real: E3r - P3r, imaginary: E3i - P3i))
    }

    /// Gathers lane l of vectors k2 ..< k2+8 (stride 8 floats): the transpose of one 8x8 block.
    @inline(__always)
    private static func gather(_ p: UnsafePointer<Float>) -> Vector8 {
        Vector8(p[0], p[8], p[16], p[24], p[32], p[40], p[48], p[56])
    }

    /// Steps 2 and 3: twiddle, then the 8-point DFT across the original lanes, natural-order output.
    private func crossLaneDFT8(_ x: SplitComplexPointer, _ y: SplitComplexPointer) {
        let m = laneLength, n = count
        for k2 in Swift.stride(from: 0, to: m, by: 8) {
            // Element l (lanes k2 ..< k2+8) sits at x[8 k2' + l].
            @inline(__always) func input(_ l: Int) -> ComplexVector {
                let at = (k2 &<< 3) &+ l, twiddle = l &* m &+ k2
                let r = Self.gather(x.real + at), i = Self.gather(x.imaginary + at)
                let wr = loadVector(crossTwiddles + twiddle), wi = loadVector(crossTwiddles + n + twiddle)
                return ComplexVector(real: (r * wr).addingProduct(-i, wi), imaginary: (r * wi).addingProduct(i, wr))
            }
            let outputs = Self.dft8((input(0), input(1), input(2), input(3), input(4), input(5), input(6), input(7)))
            Self.store(outputs, to: y, at: k2, step: m)
        }
    }
}
