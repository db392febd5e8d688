import Foundation

/// Forward discrete Fourier transform of real input whose length is a power of two.
///
/// The N real samples are packed as N/2 complex numbers (even samples real, odd imaginary),
/// transformed by a split-complex radix-4 Stockham FFT (`DecimationInTimePass`) and untangled into
/// the N/2 + 1 bins of the real spectrum. Every rounding step, twiddles included, is the one
/// kaldi-native-fbank's FFT makes, so the spectrum equals the reference's bit for bit; the passes
/// are vectorized 8 lanes wide. Tables are computed once in `init`; transforms allocate nothing.
/// An instance keeps scratch buffers, so use one per thread.
public final class RealFFT {
    /// Number of real input samples N.
    public let count: Int
    /// Size of the inner complex transform, N/2.
    private let half: Int
    private let passes: [DecimationInTimePass]
    /// W^i = e^(-2πi·i/half), i < half: real parts then imaginary parts, each computed in Double
    /// from the same phase expression as the reference and rounded once to Float.
    private let twiddles: UnsafeMutablePointer<Float>
    /// Per-lane twiddles of the passes that vectorize over (o, k).
    private let laneTwiddles: UnsafeMutablePointer<Float>
    /// e^(-iπ(k/half + 1/2)) for k <= half/2 (+ 8 padding), to separate the even and odd halves.
    private let untangleReal: UnsafeMutablePointer<Float>
    private let untangleImaginary: UnsafeMutablePointer<Float>
    /// Ping-pong buffers of half + 8 floats each.
    private let bufferA: SplitComplexPointer
    private let bufferB: SplitComplexPointer
    /// The packed spectrum, for `powerSpectrum`.
    private let packed: UnsafeMutablePointer<Float>
    private let allocations: [UnsafeMutablePointer<Float>]

    /// Prepares transforms of `count` real samples; `count` must be a power of two, at least 2.
    public init(count: Int) {
        precondition(count >= 2 && count & (count - 1) == 0, "RealFFT size \(count) is not a power of two >= 2")
        self.count = count
        half = count / 2
        let n = half

        // Radix 4 for the outer factors and 2 for the innermost, as the reference factors N/2;
        // the innermost pass runs first.
        var plan: [DecimationInTimePass] = []
        var length = 1, laneOffset = 0
        if n.trailingZeroBitCount % 2 == 1 {
            plan.append(DecimationInTimePass(radix: .two, length: 1, stride: n / 2, laneTwiddleOffset: 0))
            length = 2
        }
        while length < n {
            let stride = n / (4 * length)
            let pass = DecimationInTimePass(radix: .four, length: length, stride: stride, laneTwiddleOffset: laneOffset)
            plan.append(pass)
            if pass.usesLaneTwiddles(count: n) { laneOffset += 6 * (n / 4) }
            length *= 4
        }
        passes = plan

        func allocate(_ size: Int) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(size, 1))
            pointer.initialize(repeating: 0, count: max(size, 1))
            return pointer
        }
        twiddles = allocate(2 * n)
        laneTwiddles = allocate(laneOffset)
        untangleReal = allocate(n / 2 + 9)
        untangleImaginary = allocate(n / 2 + 9)
        bufferA = SplitComplexPointer(real: allocate(n + 8), imaginary: allocate(n + 8))
        bufferB = SplitComplexPointer(real: allocate(n + 8), imaginary: allocate(n + 8))
        packed = allocate(count)
        allocations = [twiddles, laneTwiddles, untangleReal, untangleImaginary,
                       bufferA.real, bufferA.imaginary, bufferB.real, bufferB.imaginary, packed]

        for i in 0..<n {
            let phase = -2 * Double.pi * Double(i) / Double(n)
            twiddles[i] = Float(cos(phase))
            twiddles[n + i] = Float(sin(phase))
        }
        for pass in passes where pass.usesLaneTwiddles(count: n) {
            let quarter = n / 4, s = pass.stride
            let table = laneTwiddles + pass.laneTwiddleOffset
            for lane in 0..<quarter {
                let k = lane / s
                for q in 1...3 {
                    table[(2 * q - 2) * quarter + lane] = twiddles[q * k * s]
                    table[(2 * q - 1) * quarter + lane] = twiddles[n + q * k * s]
                }
            }
        }
        if n >= 2 {
            for k in 1...(n / 2) {
                let phase = -Double.pi * (Double(k) / Double(n) + 0.5)
                untangleReal[k] = Float(cos(phase))
                untangleImaginary[k] = Float(sin(phase))
            }
        }
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }

    /// Transforms `data` (N real samples) in place into the packed spectrum
    /// `[Re X0, Re X(N/2), Re X1, Im X1, ..., Re X(N/2-1), Im X(N/2-1)]` (Kaldi's layout).
    public func forward(_ data: UnsafeMutableBufferPointer<Float>) {
        forward(UnsafeBufferPointer(data), into: data)
    }

    /// Transforms an array of N real samples in place (see `forward(_:)` for the layout).
    public func forward(_ data: inout [Float]) {
        data.withUnsafeMutableBufferPointer { forward($0) }
    }

    /// Writes the packed spectrum of `input` (N real samples) to `output` (N floats; may be `input`).
    public func forward(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == count && output.count == count, "RealFFT of size \(count) given \(input.count) -> \(output.count) values")
        guard let source = input.baseAddress, let base = output.baseAddress else { return }
        // The input is fully read into the scratch buffers before anything is written, so aliasing is fine.
        untangle(transformPacked(source), into: base)
    }

    /// Writes |X_k|^2 for k = 0 ... N/2 (N/2 + 1 values) of the real signal `input` (N samples),
    /// each as re·re + im·im rounded step by step, as Kaldi computes it.
    public func powerSpectrum(of input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == count && output.count >= half + 1, "RealFFT of size \(count): bad buffer sizes")
        guard let source = input.baseAddress, let destination = output.baseAddress else { return }
        untangle(transformPacked(source), into: packed)
        let n = half
        destination[0] = packed[0] * packed[0]
        destination[n] = packed[1] * packed[1]
        var k = 1
        while k + 8 <= n {
            let (real, imaginary) = loadDeinterleaved(packed + 2 * k)
            storeVector(real * real + imaginary * imaginary, destination + k)
            k += 8
        }
        while k < n {
            let real = packed[2 * k], imaginary = packed[2 * k + 1]
            destination[k] = real * real + imaginary * imaginary
            k += 1
        }
    }

    /// Packs the real input into N/2 complex numbers and runs the complex FFT; returns the buffer holding Z.
    private func transformPacked(_ input: UnsafePointer<Float>) -> SplitComplexPointer {
        let n = half
        var k = 0
        while k + 8 <= n {
            let (real, imaginary) = loadDeinterleaved(input + 2 * k)
            storeVector(real, bufferA.real + k)
            storeVector(imaginary, bufferA.imaginary + k)
            k += 8
        }
        while k < n {
            bufferA.real[k] = input[2 * k]
            bufferA.imaginary[k] = input[2 * k + 1]
            k += 1
        }
        var source = bufferA, destination = bufferB
        for pass in passes {
            pass.apply(count: n, twiddles: twiddles, laneTwiddles: laneTwiddles, from: source, to: destination)
            swap(&source, &destination)
        }
        return source
    }

    /// The real spectrum from Z, the transform of the packed halves, for k and N/2 - k together:
    /// with F1 = Z_k + conj Z_{N/2-k}, F2 = Z_k - conj Z_{N/2-k} and T = F2 · e^(-iπ(2k/N + 1/2)),
    /// X_k = (F1 + T)/2 and X_{N/2-k} = conj(F1 - T)/2, grouped as the reference groups them.
    private func untangle(_ z: SplitComplexPointer, into output: UnsafeMutablePointer<Float>) {
        let n = half
        output[0] = z.real[0] + z.imaginary[0]
        output[1] = z.real[0] - z.imaginary[0]
        guard n >= 2 else { return }
        var k = 1
        let one = n / 2
        if n >= 16 {
            while k + 7 <= one {
                let kr = Lanes8(z.real + k), ki = Lanes8(z.imaginary + k)
                let nr = Lanes8(loadVector(z.real + n - k - 7).reversedLanes), ni = Lanes8(loadVector(z.imaginary + n - k - 7).reversedLanes)
                let (direct, mirrored) = Self.untangle(kr, ki, nr, ni, Lanes8(untangleReal + k), Lanes8(untangleImaginary + k))
                storeInterleaved(direct.real.vector, direct.imaginary.vector, output + 2 * k)
                // Stored after the direct bins, so at k = N/4 the mirrored value is the one kept, as in the reference.
                storeInterleaved(mirrored.real.vector.reversedLanes, mirrored.imaginary.vector.reversedLanes, output + 2 * (n - k - 7))
                k += 8
            }
        }
        while k <= one {
            let (direct, mirrored) = Self.untangle(
                Lanes8(repeating: z.real[k]), Lanes8(repeating: z.imaginary[k]),
                Lanes8(repeating: z.real[n - k]), Lanes8(repeating: z.imaginary[n - k]),
                Lanes8(repeating: untangleReal[k]), Lanes8(repeating: untangleImaginary[k]))
            output[2 * k] = direct.real.first; output[2 * k + 1] = direct.imaginary.first
            output[2 * (n - k)] = mirrored.real.first; output[2 * (n - k) + 1] = mirrored.imaginary.first
            k += 1
        }
    }

    @inline(__always)
    private static func untangle(
        _ kr: Lanes8, _ ki: Lanes8, _ nr: Lanes8, _ ni: Lanes8, _ wr: Lanes8, _ wi: Lanes8
    ) -> (direct: SplitComplex, mirrored: SplitComplex) {
        let half = Lanes8(repeating: 0.5)
        let sumReal = nr + kr, differenceReal = kr - nr, differenceImaginary = ni + ki
        let p1 = differenceReal * wr, p2 = differenceImaginary * wi
        let rotatedImaginary = wr * differenceImaginary + differenceReal * wi
        let direct = SplitComplex(real: ((sumReal + p1) - p2) * half, imaginary: ((ki - ni) + rotatedImaginary) * half)
        let mirrored = SplitComplex(real: ((sumReal + p2) - p1) * half, imaginary: ((ni - ki) + rotatedImaginary) * half)
        return (direct, mirrored)
    }
}
