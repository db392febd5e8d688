import Foundation

/// Forward discrete Fourier transform of real input whose length is a power of two.
///
/// The N real samples are packed as N/2 complex numbers (even samples real, odd imaginary),
/// transformed by a split-complex FFT (`LaneParallelFFT` from N = 128, scalar Stockham passes
/// below) and untangled into the N/2 + 1 bins of the real spectrum. Twiddles are computed once in `init`; transforms allocate nothing.
/// An instance keeps scratch buffers, so use one per thread.
public final class RealFFT {
    /// Number of real input samples N.
    public let count: Int
    /// Size of the inner complex transform, N/2.
    private let half: Int
    /// The inner complex FFT: lane-parallel from N/2 = 64 up, plain Stockham passes below.
    private let laneParallel: LaneParallelFFT?
    private let stages: [StockhamStage]
    private let stageTwiddles: UnsafeMutablePointer<Float>
    /// 0.5 cos(2πk/N) and 0.5 sin(2πk/N), k < N/2, for separating the even and odd halves.
    private let splitCosine: UnsafeMutablePointer<Float>
    private let splitSine: UnsafeMutablePointer<Float>
    /// Ping-pong buffers; each holds N/2 + 8 floats so index N/2 can mirror index 0.
    private let bufferA: SplitComplexPointer
    private let bufferB: SplitComplexPointer
    private let allocations: [UnsafeMutablePointer<Float>]

    /// Prepares transforms of `count` real samples; `count` must be a power of two, at least 2.
    public init(count: Int) {
        precondition(count >= 2 && count & (count - 1) == 0, "RealFFT size \(count) is not a power of two >= 2")
        self.count = count
        half = count / 2
        let n = half

        laneParallel = n >= 64 ? LaneParallelFFT(count: n) : nil
        var plan: [StockhamStage] = []
        var length = n, stride = 1, offset = 0
        while length >= 4 {
            plan.append(StockhamStage(radix: .four, length: length, stride: stride, twiddleOffset: offset))
            offset += 6 * (n / 4)
            length /= 4
            stride *= 4
        }
        if length == 2 {
            plan.append(StockhamStage(radix: .two, length: 2, stride: stride, twiddleOffset: offset))
        }
        stages = plan

        func allocate(_ size: Int) -> UnsafeMutablePointer<Float> {
            let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(size, 1))
            pointer.initialize(repeating: 0, count: max(size, 1))
            return pointer
        }
        stageTwiddles = allocate(offset)
        splitCosine = allocate(n + 8)
        splitSine = allocate(n + 8)
        bufferA = SplitComplexPointer(real: allocate(n + 8), imaginary: allocate(n + 8))
        bufferB = SplitComplexPointer(real: allocate(n + 8), imaginary: allocate(n + 8))
        allocations = [stageTwiddles, splitCosine, splitSine, bufferA.real, bufferA.imaginary, bufferB.real, bufferB.imaginary]

        // Twiddles in Double, rounded once to Float.
        for stage in stages where stage.radix == .four {
            let quarter = n / 4
            let table = stageTwiddles + stage.twiddleOffset
            for i in 0..<quarter {
                let p = Double(i / stage.stride)
                for k in 1...3 {
                    let angle = -2 * Double.pi * p * Double(k) / Double(stage.length)
                    table[(2 * (k - 1)) * quarter + i] = Float(cos(angle))
                    table[(2 * (k - 1) + 1) * quarter + i] = Float(sin(angle))
                }
            }
        }
        for k in 0..<n {
            let angle = 2 * Double.pi * Double(k) / Double(count)
            splitCosine[k] = Float(0.5 * cos(angle))
            splitSine[k] = Float(0.5 * sin(angle))
        }
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
        laneParallel?.deallocate()
    }

    /// Transforms `data` (N real samples) in place into the packed spectrum
    /// `[Re X0, Re X(N/2), Re X1, Im X1, ..., Re X(N/2-1), Im X(N/2-1)]` (Kaldi's and Ooura's layout).
    public func forward(_ data: UnsafeMutableBufferPointer<Float>) {
        forward(UnsafeBufferPointer(data), into: data)
    }

    /// Writes the packed spectrum of `input` (N real samples) to `output` (N floats; may be `input`).
    public func forward(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == count && output.count == count, "RealFFT of size \(count) given \(input.count) -> \(output.count) values")
        guard let source = input.baseAddress, let base = output.baseAddress else { return }
        // The input is fully read into the scratch buffers before anything is written, so aliasing is fine.
        let z = transformPacked(source)
        let n = half
        if n >= 8 {
            var k = 0
            while k < n {
                let (xr, xi) = untangle(z, at: k)
                UnsafeMutableRawPointer(base + 2 * k).storeBytes(of: interleave(xr, xi), as: SIMD16<Float>.self)
                k += 8
            }
        } else {
            for k in 0..<n {
                let (xr, xi) = untangleScalar(z, at: k)
                base[2 * k] = xr
                base[2 * k + 1] = xi
            }
        }
        base[1] = z.real[0] - z.imaginary[0]
    }

    /// Transforms an array of N real samples in place (see `forward(_:)` for the layout).
    public func forward(_ data: inout [Float]) {
        data.withUnsafeMutableBufferPointer { forward($0) }
    }

    /// Writes |X_k|^2 for k = 0 ... N/2 (N/2 + 1 values) of the real signal `input` (N samples).
    public func powerSpectrum(of input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(input.count == count && output.count >= half + 1, "RealFFT of size \(count): bad buffer sizes")
        guard let source = input.baseAddress, let destination = output.baseAddress else { return }
        let z = transformPacked(source)
        let n = half
        if n >= 8 {
            var k = 0
            while k < n {
                let (xr, xi) = untangle(z, at: k)
                storeVector((xr * xr).addingProduct(xi, xi), destination + k)
                k += 8
            }
        } else {
            for k in 0..<n {
                let (xr, xi) = untangleScalar(z, at: k)
                destination[k] = xr * xr + xi * xi
            }
        }
        let nyquist = z.real[0] - z.imaginary[0]
        destination[n] = nyquist * nyquist
    }

    /// Packs the real input into N/2 complex numbers, runs the complex FFT and mirrors bin 0 at index N/2.
    private func transformPacked(_ input: UnsafePointer<Float>) -> SplitComplexPointer {
        let n = half
        if let laneParallel {
            let z = laneParallel.transform(interleaved: input, first: bufferA, second: bufferB)
            z.real[n] = z.real[0]
            z.imaginary[n] = z.imaginary[0]
            return z
        }
        if n >= 8 {
            var k = 0
            while k < n {
                let pair = UnsafeRawPointer(input + 2 * k).loadUnaligned(as: SIMD16<Float>.self)
                storeVector(pair.evenHalf, bufferA.real + k)
                storeVector(pair.oddHalf, bufferA.imaginary + k)
                k += 8
            }
        } else {
            for k in 0..<n {
                bufferA.real[k] = input[2 * k]
                bufferA.imaginary[k] = input[2 * k + 1]
            }
        }
        var source = bufferA, destination = bufferB
        for stage in stages {
            stage.apply(count: n, twiddles: stageTwiddles, from: source, to: destination)
            swap(&source, &destination)
        }
        source.real[n] = source.real[0]
        source.imaginary[n] = source.imaginary[0]
        return source
    }

    /// Bins k ... k+7 of the real spectrum from the half-size spectrum Z:
    /// X_k = (Z_k + conj Z_{n-k})/2 - i e^{-2πik/N} (Z_k - conj Z_{n-k})/2.
    @inline(__always)
    private func untangle(_ z: SplitComplexPointer, at k: Int) -> (Vector8, Vector8) {
        let a = loadVector(z.real + k), b = loadVector(z.imaginary + k)
        let c = loadVector(z.real + half - k - 7).reversedLanes
        let d = loadVector(z.imaginary + half - k - 7).reversedLanes
        let hc = loadVector(splitCosine + k), hs = loadVector(splitSine + k)
        let sumReal = a + c, differenceImaginary = b - d, sumImaginary = b + d, mirroredDifference = c - a
        let xr = (0.5 * sumReal).addingProduct(hc, sumImaginary).addingProduct(hs, mirroredDifference)
        let xi = (0.5 * differenceImaginary).addingProduct(hc, mirroredDifference).addingProduct(-hs, sumImaginary)
        return (xr, xi)
    }

    private func untangleScalar(_ z: SplitComplexPointer, at k: Int) -> (Float, Float) {
        let a = z.real[k], b = z.imaginary[k], c = z.real[half - k], d = z.imaginary[half - k]
        let hc = splitCosine[k], hs = splitSine[k]
        let xr = 0.5 * (a + c) + hc * (b + d) + hs * (c - a)
        let xi = 0.5 * (b - d) + hc * (c - a) - hs * (b + d)
        return (xr, xi)
    }
}
