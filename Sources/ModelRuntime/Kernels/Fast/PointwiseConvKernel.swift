import CKernels

/// fp32 Conv with a 1x1 kernel (no groups, stride 1, no padding) and constant weights: per image the
/// product weights [M, C] x input [C, plane] that `ConvKernel` computes, with the weights packed once
/// at load so they stream from memory in one pass. Same K slices, FMAs and bias placement as
/// `ConvKernel`: the same bits, whichever layout runs.
final class PointwiseConvKernel: Kernel {
    /// How the weights are packed, chosen by the plane's width.
    enum Layout {
        /// Panels of 6 output channels, [ceil(M / 6)][C][6]; a register tile spans 16 positions.
        case positionTiles
        /// Transposed, in panels of 16 output channels, [ceil(M / 16)][C][16]: the product runs as
        /// input^T [plane, C] x weights^T, a tile spanning output channels, the input and output
        /// crossing through the workspace transposed. For a plane of a few positions (a streaming
        /// chunk after downsampling: 8, 4 or 2 frames), where a position tile's lanes would be empty.
        case outputChannelTiles
        /// As given, [M][C]: one position and several output channels, which MLAS multiplies as a
        /// row times a transposed B (`EightLaneDotProduct`).
        case rows
    }

    /// The widest plane run with `outputChannelTiles`. Measured on the 20M zipformer's convolutions
    /// (docs/measurements.md): at 8 positions and fewer they are faster, at 16 both run alike.
    static let outputChannelTilesMaximumPlane = 8

    let batch: Int, channels: Int, outChannels: Int, plane: Int
    let hasBias: Bool
    let sliceK: Int
    let layout: Layout
    private let packed: UnsafeMutablePointer<Float>
    private let packedCount: Int

    /// Whether the geometry is pointwise and `kernelSet` is the AVX2 set (the portable one keeps `ConvKernel`).
    static func supports(_ g: ConvGeometry, kernelSet: KernelSet) -> Bool {
        kernelSet == .avx2 && g.groups == 1 && g.kernelHeight == 1 && g.kernelWidth == 1 && g.strideH == 1
            && g.strideW == 1 && g.padTop == 0 && g.padLeft == 0 && g.outHeight == g.height && g.outWidth == g.width
    }

    /// Nil unless `supports(g, kernelSet:)`.
    init?(geometry g: ConvGeometry, weights: UnsafePointer<Float>, hasBias: Bool, kernelSet: KernelSet) {
        guard Self.supports(g, kernelSet: kernelSet) else { return nil }
        batch = g.batch
        channels = g.channels
        outChannels = g.outChannels
        plane = g.height * g.width
        self.hasBias = hasBias
        sliceK = MatMulKernel.sliceLength(k: channels, n: plane)
        layout = plane == 1 && outChannels > 1 ? .rows : plane <= Self.outputChannelTilesMaximumPlane ? .outputChannelTiles : .positionTiles
        let panelWidth = layout == .positionTiles ? 6 : 16
        packedCount = Swift.max(layout == .rows ? outChannels * channels : (outChannels + panelWidth - 1) / panelWidth * channels * panelWidth, 1)
        packed = WeightMemory.allocate(byteCount: packedCount * 4).bindMemory(to: Float.self, capacity: packedCount)
        for row in 0..<outChannels {
            for inner in 0..<channels {
                let index = layout == .rows ? row * channels + inner
                    : (row / panelWidth) * channels * panelWidth + inner * panelWidth + row % panelWidth
                packed[index] = weights[row * channels + inner]
            }
        }
    }

    deinit { WeightMemory.deallocate(packed) }

    var ownedBytes: Int { packedCount * 4 }

    /// The transposed input and output of one image, for `outputChannelTiles`.
    var workspaceBytes: Int { layout == .outputChannelTiles ? plane * (channels + outChannels) * 4 : 0 }

    /// Inputs: the image, then the bias when there is one (the weights are packed here).
    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        #if arch(x86_64)
        let x = inputs[0].assumingMemoryBound(to: Float.self), y = outputs[0].assumingMemoryBound(to: Float.self)
        let transposedInput = memory.shared.assumingMemoryBound(to: Float.self)
        let transposedOutput = transposedInput + plane * channels
        for image in 0..<batch {
            let input = x + image * channels * plane, out = y + image * outChannels * plane
            switch layout {
            case .positionTiles:
                PackedMatrixProducts.multiply(rowPanels: packed, input, into: out, m: outChannels, k: channels, n: plane, slice: sliceK)
            case .outputChannelTiles:
                asr_avx2_transpose(input, plane, channels, plane, transposedInput, channels)
                PackedMatrixProducts.multiply(transposedInput, columnPanels: packed, into: transposedOutput, m: plane, k: channels, n: outChannels, slice: sliceK)
                asr_avx2_transpose(transposedOutput, outChannels, plane, outChannels, out, plane)
            case .rows:
                EightLaneDotProduct.products(input, rows: packed, stride: channels, count: channels, rowCount: outChannels, into: out)
            }
            if hasBias {
                let bias = inputs[1].assumingMemoryBound(to: Float.self)
                for channel in 0..<outChannels {
                    let row = out + channel * plane, b = bias[channel]
                    for p in 0..<plane { row[p] += b }
                }
            }
        }
        #endif
    }
}
