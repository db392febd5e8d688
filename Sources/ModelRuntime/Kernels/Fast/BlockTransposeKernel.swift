import CKernels

/// A float copy view (Transpose, a strided Slice) whose innermost output axis reads a strided input
/// axis while another output axis reads the input's contiguous one: copied as 2-D transposes, 8 x 8
/// floats at a time through AVX registers, instead of one strided load per float (`CopyKernel`).
final class BlockTransposeKernel: Kernel {
    private let baseOffset: Int
    /// The transposed pair: output rows along the axis the input stores contiguously (`columns` of
    /// them, `outputStride` apart), each `rows` long, read `inputStride` apart.
    private let rows: Int, columns: Int, inputStride: Int, outputStride: Int
    /// Offsets of each 2-D block in the other axes.
    private let inputOffsets: [Int], outputOffsets: [Int]

    /// nil where the view has no such pair of axes or `kernelSet` is not the AVX2 set.
    init?(_ copy: CopyAttributes, kernelSet: KernelSet) {
        guard copy.width == 4, kernelSet == .avx2 else { return nil }
        // Strides per axis: [output, input].
        let axes = StridedLayout.coalesced(shape: copy.outputShape, strides: [contiguousStrides(copy.outputShape), copy.inputStrides])
        guard let inner = axes.last, inner.strides == [1, inner.strides[1]], inner.strides[1] != 1, inner.size >= 8,
              let pair = axes.indices.dropLast().first(where: { axes[$0].strides[1] == 1 }), axes[pair].size >= 8 else { return nil }
        baseOffset = copy.baseOffset
        rows = inner.size
        inputStride = inner.strides[1]
        columns = axes[pair].size
        outputStride = axes[pair].strides[0]
        let blocks = StridedLayout.offsets(of: axes.indices.dropLast().filter { $0 != pair }.map { axes[$0] }, operandCount: 2)
        outputOffsets = blocks[0]
        inputOffsets = blocks[1]
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        #if arch(x86_64)
        let x = inputs[0].assumingMemoryBound(to: Float.self) + baseOffset
        let y = outputs[0].assumingMemoryBound(to: Float.self)
        for block in inputOffsets.indices {
            asr_avx2_transpose(x + inputOffsets[block], inputStride, rows, columns, y + outputOffsets[block], outputStride)
        }
        #endif
    }
}
