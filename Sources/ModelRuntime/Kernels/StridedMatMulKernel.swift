/// fp32 MatMul whose operands and result are strided views: a Transpose or Slice in front of an
/// operand, or a Transpose after the result, taken in place instead of run as copy steps.
///
/// Each batch's operands are gathered into dense scratch where they are not dense already and
/// multiplied by `BlockedMatrixProduct` with `MatMulKernel`'s K slice, so every output has the bits
/// of the copy steps followed by `MatMulKernel`.
final class StridedMatMulKernel: Kernel {
    let m: Int, k: Int, n: Int
    let batches: Int
    let a: MatrixView, b: MatrixView, y: MatrixView
    let sliceK: Int
    /// Dense A, B and Y of one batch, for the operands that are not dense in place.
    let scratchCount: Int

    init(m: Int, k: Int, n: Int, a: MatrixView, b: MatrixView, y: MatrixView, sliceK: Int) {
        self.m = m
        self.k = k
        self.n = n
        self.a = a
        self.b = b
        self.y = y
        batches = y.offsets.count
        self.sliceK = sliceK
        scratchCount = Swift.max(m * k + k * n + m * n, 1)
    }

    var workspaceBytes: Int { scratchCount * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let scratch = memory.shared.scratch(Float.self, at: 0)
        let pa = inputs[0].assumingMemoryBound(to: Float.self), pb = inputs[1].assumingMemoryBound(to: Float.self)
        let py = outputs[0].assumingMemoryBound(to: Float.self)
        let denseA = a.isDense(columns: k), denseB = b.isDense(columns: n), denseY = y.isDense(columns: n)
        let bufferA = scratch, bufferB = scratch + m * k, bufferY = scratch + m * k + k * n
        for batch in 0..<batches {
            let left: UnsafePointer<Float>
            if denseA { left = pa + a.offsets[batch] } else {
                a.gather(pa, batch: batch, rows: m, columns: k, into: bufferA)
                left = UnsafePointer(bufferA)
            }
            let right: UnsafePointer<Float>
            if denseB { right = pb + b.offsets[batch] } else {
                b.gather(pb, batch: batch, rows: k, columns: n, into: bufferB)
                right = UnsafePointer(bufferB)
            }
            if denseY {
                BlockedMatrixProduct.multiply(left, right, py + y.offsets[batch], m: m, k: k, n: n, sliceK: sliceK)
            } else {
                BlockedMatrixProduct.multiply(left, right, bufferY, m: m, k: k, n: n, sliceK: sliceK)
                for row in 0..<m { y.scatterRow(bufferY + row * n, batch: batch, row: row, columns: n, into: py) }
            }
        }
    }
}
