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
    /// The weights `packed` holds.
    private var packedFrom: UnsafeRawPointer?
    /// One image channel-last, [height][width][channel], so the channels of a position are contiguous.
    let pixels: UnsafeMutablePointer<Float>

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
        pixels = .allocate(capacity: geometry.channels * geometry.height * geometry.width)
    }

    deinit {
        packed.deallocate()
        paddedBias.deallocate()
        pixels.deallocate()
    }

    var ownedBytes: Int { ((g.kernelHeight * g.kernelWidth * g.channels + 1) * paddedOutChannels + g.channels * g.height * g.width) * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>) {
        let x = inputs[0].assumingMemoryBound(to: Float.self)
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        // The selection pass only picks constant weights and bias: repack once.
        if packedFrom != inputs[1] { pack(inputs) }
        let inPlane = g.height * g.width, outPlane = g.outHeight * g.outWidth
        for n in 0..<g.batch {
            let source = x + n * g.channels * inPlane
            for c in 0..<g.channels {
                for p in 0..<inPlane { pixels[p * g.channels + c] = source[c * inPlane + p] }
            }
            let image = UnsafePointer(pixels)
            let out = y + n * g.outChannels * outPlane
            for oh in 0..<g.outHeight {
                var ow = 0
                while ow < g.outWidth {
                    // Four neighbouring outputs whose taps all lie inside the row: four independent
                    // chains per register of weights (the order of each output's sum is unchanged).
                    if ow + 4 <= g.outWidth && columnsInside(ow) && columnsInside(ow + 3) {
                        fourOutputs(image, oh: oh, ow: ow, into: out)
                        ow += 4
                    } else {
                        oneOutput(image, oh: oh, ow: ow, into: out)
                        ow += 1
                    }
                }
            }
        }
    }

    private func pack(_ inputs: UnsafePointer<UnsafeRawPointer>) {
        let w = inputs[1].assumingMemoryBound(to: Float.self)
        let kernelSize = g.kernelHeight * g.kernelWidth
        for oc in 0..<g.outChannels {
            for c in 0..<g.channels {
                for tap in 0..<kernelSize {
                    packed[(tap * g.channels + c) * paddedOutChannels + oc] = w[(oc * g.channels + c) * kernelSize + tap]
                }
            }
        }
        if hasBias { paddedBias.update(from: inputs[2].assumingMemoryBound(to: Float.self), count: g.outChannels) }
        packedFrom = inputs[1]
    }

    /// Every tap of output column `ow` reads an input column inside the image.
    @inline(__always)
    private func columnsInside(_ ow: Int) -> Bool {
        let left = ow * g.strideW - g.padLeft
        return left >= 0 && left + (g.kernelWidth - 1) * g.dilationW < g.width
    }

    @inline(__always)
    private func store(_ sum: SIMD8<Float>, oc: Int, oh: Int, ow: Int, into out: UnsafeMutablePointer<Float>) {
        let outPlane = g.outHeight * g.outWidth
        let target = out + oc * outPlane + oh * g.outWidth + ow
        for lane in 0..<Swift.min(8, g.outChannels - oc) { target[lane * outPlane] = sum[lane] }
    }

    /// One output position, any padding: taps outside the image are skipped.
    private func oneOutput(_ image: UnsafePointer<Float>, oh: Int, ow: Int, into out: UnsafeMutablePointer<Float>) {
        let top = oh * g.strideH - g.padTop, left = ow * g.strideW - g.padLeft
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
                        let pixel = image + (ih * g.width + iw) * g.channels
                        let weights = UnsafeRawPointer(packed + ((kh * g.kernelWidth + kw) * g.channels) * paddedOutChannels + oc)
                        for c in start..<end {
                            acc = acc.addingProduct(SIMD8(repeating: pixel[c]),
                                                    weights.loadUnaligned(fromByteOffset: c * paddedOutChannels * 4, as: SIMD8<Float>.self))
                        }
                    }
                }
                sum = start == 0 ? acc : sum + acc
                start = end
            }
            if hasBias { sum = sum + UnsafeRawPointer(paddedBias + oc).loadUnaligned(as: SIMD8<Float>.self) }
            store(sum, oc: oc, oh: oh, ow: ow, into: out)
            oc += 8
        }
    }

    /// Outputs ow..<ow+4 of row oh, all taps inside the image's columns (rows may still be padding).
    private func fourOutputs(_ image: UnsafePointer<Float>, oh: Int, ow: Int, into out: UnsafeMutablePointer<Float>) {
        let top = oh * g.strideH - g.padTop, left = ow * g.strideW - g.padLeft
        let step = g.strideW * g.channels
        var oc = 0
        while oc < paddedOutChannels {
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
            var start = 0
            while start < g.channels {
                let end = Swift.min(g.channels, start + channelBlock)
                var a0 = SIMD8<Float>(), a1 = SIMD8<Float>(), a2 = SIMD8<Float>(), a3 = SIMD8<Float>()
                for kh in 0..<g.kernelHeight {
                    let ih = top + kh * g.dilationH
                    guard ih >= 0, ih < g.height else { continue }
                    for kw in 0..<g.kernelWidth {
                        let pixel = image + (ih * g.width + left + kw * g.dilationW) * g.channels
                        let weights = UnsafeRawPointer(packed + ((kh * g.kernelWidth + kw) * g.channels) * paddedOutChannels + oc)
                        for c in start..<end {
                            let wv = weights.loadUnaligned(fromByteOffset: c * paddedOutChannels * 4, as: SIMD8<Float>.self)
                            let p = pixel + c
                            a0 = a0.addingProduct(SIMD8(repeating: p[0]), wv)
                            a1 = a1.addingProduct(SIMD8(repeating: p[step]), wv)
                            a2 = a2.addingProduct(SIMD8(repeating: p[2 * step]), wv)
                            a3 = a3.addingProduct(SIMD8(repeating: p[3 * step]), wv)
                        }
                    }
                }
                if start == 0 {
                    (s0, s1, s2, s3) = (a0, a1, a2, a3)
                } else {
                    s0 = s0 + a0; s1 = s1 + a1; s2 = s2 + a2; s3 = s3 + a3
                }
                start = end
            }
            if hasBias {
                let b = UnsafeRawPointer(paddedBias + oc).loadUnaligned(as: SIMD8<Float>.self)
                s0 = s0 + b; s1 = s1 + b; s2 = s2 + b; s3 = s3 + b
            }
            store(s0, oc: oc, oh: oh, ow: ow, into: out)
            store(s1, oc: oc, oh: oh, ow: ow + 1, into: out)
            store(s2, oc: oc, oh: oh, ow: ow + 2, into: out)
            store(s3, oc: oc, oh: oh, ow: ow + 3, into: out)
            oc += 8
        }
    }
}
