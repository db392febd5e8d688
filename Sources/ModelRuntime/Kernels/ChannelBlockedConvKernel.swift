/// Ungrouped 2-D Conv in the rounding order of onnxruntime's NCHWc convolution (MLAS, 8-channel
/// blocks), which its optimized graph uses for 2-D convolutions.
///
/// Input channels are taken in blocks: within a block, each output sums with one FMA chain from
/// zero over (kh, kw, channel); block sums are added to the output one after another, and the bias
/// is added last. Taps that fall in the padding are skipped. MLAS's block is 8 channels, 128 for
/// 1x1 convolutions (its pointwise path) and 1 when the channel count is not a multiple of 8 (its
/// path for NCHW input). Eight output channels per SIMD register; a last partial group of output
/// channels runs on zero weights, as MLAS pads them.
final class ChannelBlockedConvKernel: Kernel {
    let g: ConvKernel.Geometry
    let hasBias: Bool
    let channelBlock: Int
    /// Output channels rounded up to a multiple of 8.
    let paddedOutChannels: Int
    /// Weights repacked as [kh][kw][channel][paddedOutChannel], so eight output channels load at once.
    let packed: UnsafeMutablePointer<Float>
    /// Bias padded to `paddedOutChannels`.
    let paddedBias: UnsafeMutablePointer<Float>

    /// nil unless the convolution is one onnxruntime runs in NCHWc: ungrouped, with fewer than 8 or
    /// a multiple of 8 input channels.
    init?(geometry: ConvKernel.Geometry, hasBias: Bool) {
        guard geometry.groups == 1, geometry.channels > 0, geometry.channels < 8 || geometry.channels % 8 == 0 else { return nil }
        g = geometry
        self.hasBias = hasBias
        let pointwise = geometry.kernelHeight == 1 && geometry.kernelWidth == 1 && geometry.padTop == 0 && geometry.padLeft == 0
            && geometry.outHeight == (geometry.height - 1) / geometry.strideH + 1
            && geometry.outWidth == (geometry.width - 1) / geometry.strideW + 1
        channelBlock = geometry.channels < 8 ? 1 : (pointwise ? 128 : 8)
        paddedOutChannels = (geometry.outChannels + 7) / 8 * 8
        let count = geometry.kernelHeight * geometry.kernelWidth * geometry.channels * paddedOutChannels
        packed = .allocate(capacity: count)
        packed.initialize(repeating: 0, count: count)
        paddedBias = .allocate(capacity: paddedOutChannels)
        paddedBias.initialize(repeating: 0, count: paddedOutChannels)
    }

    deinit {
        packed.deallocate()
        paddedBias.deallocate()
    }

    var ownedBytes: Int { (g.kernelHeight * g.kernelWidth * g.channels + 1) * paddedOutChannels * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let w = inputs[1].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        if hasBias { paddedBias.update(from: inputs[2].assumingMemoryBound(to: Float.self), count: g.outChannels) }
        let kernelSize = g.kernelHeight * g.kernelWidth
        // Weights are graph inputs (constants in practice); repacking them costs little next to the product.
        for oc in 0..<g.outChannels {
            for c in 0..<g.channels {
                for tap in 0..<kernelSize {
                    packed[(tap * g.channels + c) * paddedOutChannels + oc] = w[(oc * g.channels + c) * kernelSize + tap]
                }
            }
        }
        let inPlane = g.height * g.width, outPlane = g.outHeight * g.outWidth
        for n in 0..<g.batch {
            let image = x + n * g.channels * inPlane
            let out = y + n * g.outChannels * outPlane
            for oh in 0..<g.outHeight {
                let top = oh * g.strideH - g.padTop
                for ow in 0..<g.outWidth {
                    let left = ow * g.strideW - g.padLeft
                    var oc = 0
                    while oc < paddedOutChannels {
                        var sum = SIMD8<Float>()
                        var start = 0
                        while start < g.channels {
                            let end = Swift.min(g.channels, start + channelBlock)
                            var acc = SIMD8<Float>()
                            for kh in 0..<g.kernelHeight {
                                let ih = top + kh * g.dilationH
                                guard ih >= 0, ih < g.height else { continue }
                                for kw in 0..<g.kernelWidth {
                                    let iw = left + kw * g.dilationW
                                    guard iw >= 0, iw < g.width else { continue }
                                    let pixel = image + ih * g.width + iw
                                    let weights = UnsafeRawPointer(packed + ((kh * g.kernelWidth + kw) * g.channels) * paddedOutChannels + oc)
                                    for c in start..<end {
                                        acc = acc.addingProduct(SIMD8(repeating: pixel[c * inPlane]),
                                                                weights.loadUnaligned(fromByteOffset: c * paddedOutChannels * 4, as: SIMD8<Float>.self))
                                    }
                                }
                            }
                            sum = start == 0 ? acc : sum + acc
                            start = end
                        }
                        if hasBias { sum = sum + UnsafeRawPointer(paddedBias + oc).loadUnaligned(as: SIMD8<Float>.self) }
                        let target = out + oc * outPlane + oh * g.outWidth + ow
                        for lane in 0..<Swift.min(8, g.outChannels - oc) { target[lane * outPlane] = sum[lane] }
                        oc += 8
                    }
                }
            }
        }
    }
}
