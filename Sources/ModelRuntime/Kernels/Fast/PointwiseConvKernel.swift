import CKernels

/// fp32 Conv with a 1x1 kernel (no groups, stride 1, no padding) and constant weights: per image the
/// product weights [M, C] x input [C, plane] that `ConvKernel` computes, with the weights packed once
/// at load in panels of 6 output channels, [ceil(M / 6)][C][6], so they stream from memory in one
/// pass. Same K slices, FMAs and bias placement as `ConvKernel`: the same bits.
final class PointwiseConvKernel: Kernel {
    let batch: Int, channels: Int, outChannels: Int, plane: Int
    let hasBias: Bool
    let sliceK: Int
    private let panels: UnsafeMutablePointer<Float>
    private let panelCount: Int

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
        panelCount = Swift.max((outChannels + 5) / 6 * channels * 6, 1)
        panels = WeightMemory.allocate(byteCount: panelCount * 4).bindMemory(to: Float.self, capacity: panelCount)
        for row in 0..<outChannels {
            let panel = panels + (row / 6) * channels * 6 + row % 6
            for inner in 0..<channels { panel[inner * 6] = weights[row * channels + inner] }
        }
    }

    deinit { WeightMemory.deallocate(panels) }

    var ownedBytes: Int { panelCount * 4 }

    /// Inputs: the image, then the bias when there is one (the weights are packed here).
    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        #if arch(x86_64)
        let x = inputs[0].assumingMemoryBound(to: Float.self), y = outputs[0].assumingMemoryBound(to: Float.self)
        for image in 0..<batch {
            let out = y + image * outChannels * plane
            asr_avx2_packed_rows_matrix_product(panels, x + image * channels * plane, out, outChannels, channels, plane, sliceK)
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
