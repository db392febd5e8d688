import CKernels

/// fp32 MatMul whose operands and result are strided views: a Transpose or Slice in front of an
/// operand, or a Transpose after the result, taken in place instead of run as copy steps.
///
/// Each batch's operands are gathered into dense scratch where they are not dense already and
/// multiplied by `BlockedMatrixProduct` with `MatMulKernel`'s K slice, so every output has the bits
/// of the copy steps followed by `MatMulKernel`. A constant B (the conformer's projected position
/// embeddings) is the kernel's own, not an input: with the AVX2 kernels it is gathered and packed
/// once at load, each batch's in panels of 16 columns as `PackedMatMulKernel` packs its B (the same
/// K slices and fused multiply-adds, the same bits); otherwise it is read where it is.
final class StridedMatMulKernel: Kernel {
    let m: Int, k: Int, n: Int
    let batches: Int
    let a: MatrixView, b: MatrixView, y: MatrixView
    let sliceK: Int
    /// MLAS runs the ordinary kernels: B packed at load, or all batches' rows as one product (see
    /// `MatMulAttributes`); otherwise each batch is a product of its own (`UnpackedMatrixProduct`).
    let ordinaryProduct: Bool
    /// Dense A, B and Y of one batch, for the operands that are not dense in place.
    let scratchCount: Int
    /// A constant B, and with the AVX2 kernels every batch's B packed, `panelStride` floats apart.
    private let constantB: Tensor?
    private let panels: UnsafeMutablePointer<Float>?
    private let panelStride: Int

    /// A constant B is packed where `kernelSet` has `PackedMatMulKernel`, unless MLAS multiplies it
    /// with its one-row kernels (`UnpackedMatrixProduct`).
    init(m: Int, k: Int, n: Int, a: MatrixView, b: MatrixView, y: MatrixView, sliceK: Int, packedB: Bool, flattensA: Bool,
         constantB: Tensor? = nil, kernelSet: KernelSet) {
        self.m = m
        self.k = k
        self.n = n
        self.a = a
        self.b = b
        self.y = y
        batches = y.offsets.count
        self.sliceK = sliceK
        ordinaryProduct = packedB || flattensA
        scratchCount = Swift.max(m * k + k * n + m * n, 1)
        panelStride = PackedMatMulKernel.panelFloats(k: k, n: n)
        guard let constantB, PackedMatMulKernel.isAvailable(in: kernelSet), ordinaryProduct || (m > 1 && n > 1) else {
            self.constantB = constantB
            panels = nil
            return
        }
        self.constantB = nil
        let packed = WeightMemory.allocate(byteCount: Swift.max(batches * panelStride, 1) * 4)
            .bindMemory(to: Float.self, capacity: Swift.max(batches * panelStride, 1))
        let dense = UnsafeMutablePointer<Float>.allocate(capacity: Swift.max(k * n, 1))
        defer { dense.deallocate() }
        let view = b, batchCount = batches, stride16 = panelStride
        withExtendedLifetime(constantB) {
            let source = UnsafePointer(constantB.pointer.assumingMemoryBound(to: Float.self))
            for batch in 0..<batchCount {
                view.gather(source, batch: batch, rows: k, columns: n, into: dense)
                PackedMatMulKernel.pack(dense, k: k, n: n, into: packed + batch * stride16)
            }
        }
        panels = packed
    }

    deinit { if let panels { WeightMemory.deallocate(panels) } }

    var ownedBytes: Int { panels == nil ? constantB?.type.byteCount ?? 0 : batches * panelStride * 4 }
    var workspaceBytes: Int { scratchCount * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory) {
        let scratch = memory.shared.scratch(Float.self, at: 0)
        let pa = inputs[0].assumingMemoryBound(to: Float.self)
        let py = outputs[0].assumingMemoryBound(to: Float.self)
        // B unless packed: the kernel's constant, else the step's second input.
        let pb = panels != nil ? nil : UnsafePointer(constantB?.pointer.assumingMemoryBound(to: Float.self))
            ?? inputs[1].assumingMemoryBound(to: Float.self)
        let denseA = a.isDense(columns: k), denseB = b.isDense(columns: n), denseY = y.isDense(columns: n)
        let bufferA = scratch, bufferB = scratch + m * k, bufferY = scratch + m * k + k * n
        for batch in 0..<batches {
            let left: UnsafePointer<Float>
            if denseA { left = pa + a.offsets[batch] } else {
                a.gather(pa, batch: batch, rows: m, columns: k, into: bufferA)
                left = UnsafePointer(bufferA)
            }
            let product = denseY ? py + y.offsets[batch] : bufferY
            if let panels {
                #if arch(x86_64)
                PackedMatrixProducts.multiply(left, columnPanels: panels + batch * panelStride, into: product, m: m, k: k, n: n, slice: sliceK)
                #endif
            } else if let pb {
                let right: UnsafePointer<Float>
                if denseB { right = pb + b.offsets[batch] } else {
                    b.gather(pb, batch: batch, rows: k, columns: n, into: bufferB)
                    right = UnsafePointer(bufferB)
                }
                if ordinaryProduct {
                    BlockedMatrixProduct.multiply(left, right, product, m: m, k: k, n: n, sliceK: sliceK)
                } else {
                    UnpackedMatrixProduct.multiply(left, right, product, m: m, k: k, n: n, sliceK: sliceK)
                }
            }
            if !denseY {
                for row in 0..<m { y.scatterRow(bufferY + row * n, batch: batch, row: row, columns: n, into: py) }
            }
        }
    }
}
