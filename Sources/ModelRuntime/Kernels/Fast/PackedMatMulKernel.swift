import CKernels

/// fp32 MatMul by a constant 2-D B shared by every batch (a linear layer whose weights reach the
/// MatMul as a constant, e.g. the conformer's attention projections): B is packed once at load in
/// panels of 16 columns, [ceil(n / 16)][k][16], so the product streams it instead of striding a
/// row of B per step. Same K slices and fused multiply-adds as `MatMulKernel`: the same bits.
final class PackedMatMulKernel: Kernel {
    /// All batches' rows as one product: [rows, k] x [k, n].
    let rows: Int, k: Int, n: Int
    let sliceK: Int
    private let panels: UnsafeMutablePointer<Float>
    private let panelCount: Int

    /// Whether the AVX2 kernels are in use: the portable path keeps `MatMulKernel`.
    static var isAvailable: Bool { KernelSet.active == .avx2 }

    /// Packs `b` [k, n]; nil unless `isAvailable`.
    init?(rows: Int, k: Int, n: Int, b: UnsafePointer<Float>, sliceK: Int) {
        guard Self.isAvailable else { return nil }
        self.rows = rows
        self.k = k
        self.n = n
        self.sliceK = sliceK
        panelCount = Swift.max((n + 15) / 16 * k * 16, 1)
        panels = WeightMemory.allocate(byteCount: panelCount * 4).bindMemory(to: Float.self, capacity: panelCount)
        for column in stride(from: 0, to: n, by: 16) {
            let panel = panels + column * k, width = Swift.min(16, n - column)
            for inner in 0..<k {
                (panel + inner * 16).update(from: b + inner * n + column, count: width)
            }
        }
    }

    deinit { WeightMemory.deallocate(panels) }

    var ownedBytes: Int { panelCount * 4 }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        #if arch(x86_64)
        asr_avx2_packed_matrix_product(inputs[0].assumingMemoryBound(to: Float.self), panels,
                                       outputs[0].assumingMemoryBound(to: Float.self), rows, k, n, sliceK)
        #endif
    }
}
