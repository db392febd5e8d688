/// Depthwise Conv (one input and one output channel per group, stride 1, dilation 1), 1-D or 2-D,
/// 8 output columns per SIMD register.
///
/// Each channel is first copied into a zero-bordered plane so the inner loop has no bounds; each
/// output then accumulates fused multiply-adds in (kh, kw) order from zero and adds the bias last,
/// the order of `ConvKernel`'s grouped path (a padded tap adds w * 0 where that path skips it,
/// which can only change the sign of a zero).
final class FastDepthwiseConvKernel: Kernel {
    let g: ConvKernel.Geometry
    let hasBias: Bool
    let paddedHeight: Int, paddedWidth: Int
    /// One zero-bordered input plane, [paddedHeight][paddedWidth].
    let plane: UnsafeMutablePointer<Float>

    init?(geometry: ConvKernel.Geometry, hasBias: Bool) {
        guard geometry.groups == geometry.channels, geometry.outChannels == geometry.channels,
              geometry.strideH == 1, geometry.strideW == 1, geometry.dilationH == 1, geometry.dilationW == 1 else { return nil }
        g = geometry
        self.hasBias = hasBias
        paddedHeight = geometry.outHeight + geometry.kernelHeight - 1
        // Slack of 8 columns: the last SIMD group reads past the output width.
        paddedWidth = geometry.outWidth + geometry.kernelWidth - 1 + 8
        plane = .allocate(capacity: paddedHeight * paddedWidth)
        plane.initialize(repeating: 0, count: paddedHeight * paddedWidth)
    }

    deinit { plane.deallocate() }

    var ownedBytes: Int { paddedHeight * paddedWidth * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let w = inputs[1].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        let bias: UnsafePointer<Float>? = hasBias ? inputs[2].assumingMemoryBound(to: Float.self) : nil
        let inPlane = g.height * g.width, outPlane = g.outHeight * g.outWidth
        let kernelSize = g.kernelHeight * g.kernelWidth
        // Input columns that land inside the padded plane.
        let firstColumn = Swift.max(0, -g.padLeft)
        let lastColumn = Swift.min(g.width, paddedWidth - 8 - g.padLeft)
        for n in 0..<g.batch {
            for c in 0..<g.channels {
                let source = x + (n * g.channels + c) * inPlane
                for ih in 0..<g.height {
                    let row = ih + g.padTop
                    guard row >= 0, row < paddedHeight, lastColumn > firstColumn else { continue }
                    (plane + row * paddedWidth + firstColumn + g.padLeft)
                        .update(from: source + ih * g.width + firstColumn, count: lastColumn - firstColumn)
                }
                DepthwiseConvolution.channel(plane, paddedWidth: paddedWidth, weights: w + c * kernelSize,
                                             kernelHeight: g.kernelHeight, kernelWidth: g.kernelWidth,
                                             outHeight: g.outHeight, outWidth: g.outWidth, bias: bias?[c],
                                             into: y + (n * g.channels + c) * outPlane)
            }
        }
    }
}

enum DepthwiseConvolution {
    /// One channel: y[oh, ow] = sum over (kh, kw) of w[kh, kw] * plane[oh + kh, ow + kw] (+ bias).
    @inline(__always)
    static func channel(_ plane: UnsafePointer<Float>, paddedWidth: Int, weights: UnsafePointer<Float>,
                        kernelHeight: Int, kernelWidth: Int, outHeight: Int, outWidth: Int, bias: Float?,
                        into y: UnsafeMutablePointer<Float>) {
        for oh in 0..<outHeight {
            var ow = 0
            while ow < outWidth {
                var acc = SIMD8<Float>()
                for kh in 0..<kernelHeight {
                    let row = UnsafeRawPointer(plane + (oh + kh) * paddedWidth + ow)
                    for kw in 0..<kernelWidth {
                        acc = acc.addingProduct(SIMD8(repeating: weights[kh * kernelWidth + kw]),
                                                row.loadUnaligned(fromByteOffset: kw * 4, as: SIMD8<Float>.self))
                    }
                }
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
}
