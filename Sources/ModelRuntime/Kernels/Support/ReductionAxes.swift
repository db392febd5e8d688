/// The axes a Reduce* node reduces (input 1 from opset 18, the `axes` attribute before; all axes
/// when none are given), with the element offsets a reduction kernel walks and the output shape.
struct ReductionAxes {
    /// `noop_with_empty_axes` set and no axes given: the output is the input.
    let isNoOp: Bool
    let reduced: Set<Int>
    let outputShape: [Int]
    /// Offset of each output element's first input element, and of each reduced element relative to it.
    let outputBases: [Int]
    let reducedOffsets: [Int]

    init(_ context: NodeContext, input: TensorType) throws {
        var axes = context.has(1) ? try context.constant(1).integers() : (context.node.ints("axes") ?? [])
        isNoOp = axes.isEmpty && context.node.int("noop_with_empty_axes", default: 0) != 0
        if axes.isEmpty { axes = Array(0..<input.rank) }
        let reduced = Set(try axes.map { try context.axis($0, rank: input.rank) })
        self.reduced = reduced
        let keep = context.node.int("keepdims", default: 1) != 0
        let strides = contiguousStrides(input.shape)
        func offsets(_ axes: [Int]) -> [Int] {
            let layout = StridedLayout(shape: axes.map { input.shape[$0] }, strides: [axes.map { strides[$0] }])
            var all: [Int] = []
            for outer in layout.outerOffsets[0] {
                for i in 0..<layout.innerCount { all.append(outer + i * layout.innerStrides[0]) }
            }
            return all
        }
        let keptAxes = (0..<input.rank).filter { !reduced.contains($0) }
        outputShape = keep ? (0..<input.rank).map { reduced.contains($0) ? 1 : input.shape[$0] } : keptAxes.map { input.shape[$0] }
        outputBases = offsets(keptAxes)
        reducedOffsets = offsets((0..<input.rank).filter { reduced.contains($0) })
    }
}
