/// Depthwise Conv (one input and one output channel per group, stride 1, dilation 1), 1-D or 2-D,
/// 8 output columns per SIMD register.
///
/// Each channel is first copied into a zero-bordered plane so the inner loop has no bounds; each
/// output then sums rounded products four taps at a time in (kh, kw) order, adds each partial sum
/// to the output, and adds the bias last: the order of `ConvKernel`'s grouped path (a padded tap
/// adds w * 0 where that path skips it, which can only change the sign of a zero).
/// With `chainsTaps`, each output is instead one FMA chain from zero in (kh, kw) order with the bias
/// added last: the order of onnxruntime's NCHWc depthwise convolution (its optimized 2-D graphs),
/// and of its NCHWc convolution of a one-channel input. Only then may each input channel feed
/// several output channels (outChannels a multiple of channels). A padded tap adds w * 0 to a
/// chain that started from +0 and so is never -0: the same bits as skipping it.
final class FastDepthwiseConvKernel: Kernel {
    let g: ConvGeometry
    let hasBias: Bool
    let chainsTaps: Bool
    let paddedHeight: Int, paddedWidth: Int
    /// Per tap (kh, kw): its element offset in the plane, kh * paddedWidth + kw.
    let tapOffsets: UnsafeMutablePointer<Int>
    /// An activation applied to each output plane as soon as it is complete, while it is still in
    /// cache (`ConvActivationFusion`); nil for a plain convolution.
    let activation: SwooshKernel?

    /// Whether the geometry is one this kernel runs (see the type's description).
    static func supports(_ geometry: ConvGeometry, chainsTaps: Bool) -> Bool {
        geometry.groups == geometry.channels && geometry.channels > 0
            && (geometry.outChannels == geometry.channels || (chainsTaps && geometry.outChannels % geometry.channels == 0))
            && geometry.strideH == 1 && geometry.strideW == 1 && geometry.dilationH == 1 && geometry.dilationW == 1
            && !geometry.kernelSpansUnpaddedWidth
    }

    /// nil unless `supports(geometry, chainsTaps:)`.
    init?(geometry: ConvGeometry, hasBias: Bool, chainsTaps: Bool = false, activation: SwooshKernel? = nil) {
        guard Self.supports(geometry, chainsTaps: chainsTaps) else { return nil }
        g = geometry
        self.hasBias = hasBias
        self.chainsTaps = chainsTaps
        self.activation = activation
        paddedHeight = geometry.outHeight + geometry.kernelHeight - 1
        // Slack of 8 columns: the last SIMD group reads past the output width.
        paddedWidth = geometry.outWidth + geometry.kernelWidth - 1 + 8
        let taps = geometry.kernelHeight * geometry.kernelWidth
        tapOffsets = .allocate(capacity: Swift.max(taps, 1))
        for tap in 0..<taps {
            tapOffsets[tap] = (tap / geometry.kernelWidth) * paddedWidth + tap % geometry.kernelWidth
        }
    }

    deinit {
        tapOffsets.deallocate()
    }

    var ownedBytes: Int { g.kernelHeight * g.kernelWidth * 8 }
    /// One zero-bordered input plane, [paddedHeight][paddedWidth]: runs write only its inside, so
    /// the border stays as the instance zeroed it.
    var scratchBytes: Int { paddedHeight * paddedWidth * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let plane = memory.own.scratch(Float.self, at: 0)
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
                    // Rows are a few dozen floats: copied inline, not by a memmove call per row.
                    CopyKernel.copySmall(from: source + ih * g.width + firstColumn,
                                         to: plane + row * paddedWidth + firstColumn + g.padLeft,
                                         bytes: (lastColumn - firstColumn) * 4)
                }
                if chainsTaps {
                    let multiplier = g.outChannels / g.channels
                    for oc in (c * multiplier)..<((c + 1) * multiplier) {
                        let out = y + (n * g.outChannels + oc) * outPlane
                        DepthwiseConvolution.chainedChannel(plane, paddedWidth: paddedWidth, weights: w + oc * kernelSize,
                                                            tapOffsets: tapOffsets, taps: kernelSize,
                                                            outHeight: g.outHeight, outWidth: g.outWidth, bias: bias?[oc],
                                                            into: out)
                        activation?.apply(out, to: out, count: outPlane)
                    }
                    continue
                }
                let out = y + (n * g.channels + c) * outPlane
                DepthwiseConvolution.channel(plane, paddedWidth: paddedWidth, weights: w + c * kernelSize,
                                             tapOffsets: tapOffsets, taps: kernelSize,
                                             outHeight: g.outHeight, outWidth: g.outWidth, bias: bias?[c],
                                             into: out)
                activation?.apply(out, to: out, count: outPlane)
            }
        }
    }
}
