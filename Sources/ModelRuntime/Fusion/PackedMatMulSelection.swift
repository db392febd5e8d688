/// Gives fp32 MatMul steps whose B is a constant matrix shared by all batches `PackedMatMulKernel`,
/// which packs B at load; B is then no longer an input of the step. Where A is a Concat (how a
/// streaming model puts carried context rows before new ones), the kernel reuses the output rows of
/// input rows it saw in the last run.
enum PackedMatMulSelection {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        var result = graph
        let uses = ValueUses(graph)
        for (index, step) in graph.steps.enumerated() where step.opType == "MatMul" {
            guard case .compute(let kernel as MatMulKernel) = step.kind, kernel.sharesB, step.inputs.count == 2,
                  let b = graph.values[step.inputs[1]]?.constant, b.type.rank == 2,
                  let packed = PackedMatMulKernel(
                    rows: kernel.m * kernel.layout.outerCount * kernel.layout.innerCount, k: kernel.k, n: kernel.n,
                    b: b.pointer.assumingMemoryBound(to: Float.self), sliceK: kernel.sliceK,
                    reusesRows: uses.producer[step.inputs[0]].map { graph.steps[$0].opType == "Concat" } ?? false) else { continue }
            result.steps[index].kind = .compute(packed)
            result.steps[index].inputs = [step.inputs[0]]
        }
        return result
    }
}
