/// Rewrites fp32 MatMul steps whose B is a constant matrix shared by all batches into packed
/// `MatMul` steps (`PackedMatMulOperation`, B packed at load by its kernel), where that kernel is
/// available in the kernel set compiled for; B is then no longer an input of the step. Where A is
/// a Concat (how a streaming model puts carried context rows before new ones), the kernel reuses
/// the output rows of input rows it saw in the last run.
enum PackedMatMulSelection {
    static func apply(_ graph: SpecializedGraph, kernelSet: KernelSet) -> SpecializedGraph {
        guard PackedMatMulKernel.isAvailable(in: kernelSet) else { return graph }
        var result = graph
        let uses = ValueUses(graph)
        for (index, step) in graph.steps.enumerated() where step.opType == "MatMul" {
            // A constant that onnxruntime computes at run time is not packed: with one output row or
            // column, MLAS's one-row kernels multiply it (`MatMulKernel` does the same).
            guard case .node(.matMul(let matMul, _)) = step.kind, matMul.sharesB,
                  step.inputs.count == 2, let b = graph.values[step.inputs[1]]?.constant, b.type.rank == 2,
                  matMul.packedB || (matMul.m * matMul.batches > 1 && matMul.n > 1) else { continue }
            let operation = PackedMatMulOperation(rows: matMul.m * matMul.batches, k: matMul.k, n: matMul.n, b: b,
                                                  sliceK: matMul.sliceK,
                                                  reusesRows: matMul.m * matMul.batches > 1
                                                      && uses.producer[step.inputs[0]].map { graph.steps[$0].opType == "Concat" } ?? false)
            result.steps[index].kind = .fused(.packedMatMul(operation))
            result.steps[index].inputs = [step.inputs[0]]
        }
        return result
    }
}
