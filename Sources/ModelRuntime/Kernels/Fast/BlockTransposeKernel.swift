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

    /// nil where the view has no such pair of axes or the AVX2 kernels are not in use.
    init?(_ copy: CopyAttributes) {
        guard copy.width == 4, KernelSet.active == .avx2 else { return nil }
        // Size-1 axes dropped, neighbours contiguous in both operands merged.
        var axes: [(size: Int, output: Int, input: Int)] = []
        for (axis, (size, outputStride)) in zip(copy.outputShape, contiguousStrides(copy.outputShape)).enumerated() where size != 1 {
            let inputStride = copy.inputStrides[axis]
            if let last = axes.last, last.output == outputStride * size, last.input == inputStride * size {
                axes[axes.count - 1] = (last.size * size, outputStride, inputStride)
            } else {
                axes.append((size, outputStride, inputStride))
            }
        }
        guard let inner = axes.last, inner.output == 1, inner.input != 1, inner.size >= 8,
              let pair = axes.indices.dropLast().first(where: { axes[$0].input == 1 }), axes[pair].size >= 8 else { return nil }
        baseOffset = copy.baseOffset
        rows = inner.size
        inputStride = inner.input
        columns = axes[pair].size
        outputStride = axes[pair].output
        var inputOffsets = [0], outputOffsets = [0]
        for (index, axis) in axes.enumerated().dropLast() where index != pair {
            inputOffsets = (0..<axis.size).flatMap { i in inputOffsets.map { $0 + i * axis.input } }
            outputOffsets = (0..<axis.size).flatMap { i in outputOffsets.map { $0 + i * axis.output } }
        }
        self.inputOffsets = inputOffsets
        self.outputOffsets = outputOffsets
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
