// C entry points to the portable Swift kernels, for tools/check-portable-kernels-arm64: compiled
// with the kernels' own source files as one Embedded Swift module, once for aarch64 (run under
// qemu) and once for x86-64 (run here), so that both runs execute the same Swift SIMD code.

/// The build of this check runs the portable loops only.
package enum KernelSet {
    case avx2, portable
    static let active = KernelSet.portable
}

// RealFFT's twiddles come from libm (Foundation is not available to Embedded Swift).
@_extern(c, "cos") func cos(_ x: Double) -> Double
@_extern(c, "sin") func sin(_ x: Double) -> Double

@_cdecl("check_vector_math")
public func checkVectorMath(_ function: Int32, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    for v in 0..<(count / 8) {
        let input = UnsafeRawPointer(x + v * 8).loadUnaligned(as: SIMD8<Float>.self)
        let output: SIMD8<Float>
        switch function {
        case 0: output = VectorMath.exp(input)
        case 1: output = VectorMath.log(input)
        case 2: output = VectorMath.logistic(input)
        case 3: output = VectorMath.tanh(input)
        default: output = VectorMath.shiftedExp(input, negativeMaximum: SIMD8(repeating: -30))
        }
        UnsafeMutableRawPointer(y + v * 8).storeBytes(of: output, as: SIMD8<Float>.self)
    }
}

@_cdecl("check_matrix_product")
public func checkMatrixProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>,
                               _ m: Int, _ k: Int, _ n: Int, _ slice: Int) {
    BlockedMatrixProduct.multiply(a, b, y, m: m, k: k, n: n, sliceK: slice, kernels: .portable)
}

@_cdecl("check_depthwise")
public func checkDepthwise(_ chained: Int32, _ plane: UnsafePointer<Float>, _ paddedWidth: Int, _ weights: UnsafePointer<Float>,
                           _ tapOffsets: UnsafePointer<Int>, _ taps: Int, _ outHeight: Int, _ outWidth: Int,
                           _ y: UnsafeMutablePointer<Float>) {
    if chained != 0 {
        DepthwiseConvolution.chainedChannel(plane, paddedWidth: paddedWidth, weights: weights, tapOffsets: tapOffsets, taps: taps,
                                            outHeight: outHeight, outWidth: outWidth, bias: 0.25, into: y, kernels: .portable)
    } else {
        DepthwiseConvolution.channel(plane, paddedWidth: paddedWidth, weights: weights, tapOffsets: tapOffsets, taps: taps,
                                     outHeight: outHeight, outWidth: outWidth, bias: nil, into: y, kernels: .portable)
    }
}

/// Four rows of `quads * 4` activations (and top bits when `high` is not nil) against one pair of
/// 8-column blocks ([quads][2][8][4]); 64 int32 sums into `out`.
@_cdecl("check_int8_rows")
public func checkInt8Rows(_ a: UnsafePointer<UInt8>, _ high: UnsafePointer<UInt8>?, _ quads: Int,
                          _ pair: UnsafeRawPointer, _ out: UnsafeMutablePointer<Int32>) {
    let stride = quads * 4
    func rows(_ base: UnsafePointer<UInt8>) -> RowPointers { (base, base + stride, base + 2 * stride, base + 3 * stride) }
    let sums = Int8Linear.multiplyRows(4, rows(a), high: high.map(rows), quads: quads, pair: pair)
    for (index, vector) in [sums.0, sums.1, sums.2, sums.3, sums.4, sums.5, sums.6, sums.7].enumerated() {
        for lane in 0..<8 { out[index * 8 + lane] = vector[lane] }
    }
}

@_cdecl("check_fft")
public func checkFFT(_ count: Int, _ input: UnsafePointer<Float>, _ output: UnsafeMutablePointer<Float>) {
    let fft = RealFFT(count: count)
    fft.forward(UnsafeBufferPointer(start: input, count: count), into: UnsafeMutableBufferPointer(start: output, count: count))
}
