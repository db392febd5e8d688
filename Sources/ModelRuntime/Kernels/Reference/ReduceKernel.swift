/// ReduceSum / ReduceMean of float tensors over a set of axes.
final class ReduceKernel: Kernel {
    let mean: Bool
    /// Offset of each output element's first input element, and of each reduced element relative to it.
    let outputBases: [Int]
    let reducedOffsets: [Int]
    /// The reduced axes sit between kept axes (onnxruntime's "KRK" case): summed as a one-row
    /// matrix product with a row of ones, so in MLAS's blocks of four (see `blockSum`).
    let betweenKeptAxes: Bool

    init(mean: Bool, outputBases: [Int], reducedOffsets: [Int], betweenKeptAxes: Bool = false) {
        self.mean = mean
        self.outputBases = outputBases
        self.reducedOffsets = reducedOffsets
        self.betweenKeptAxes = betweenKeptAxes
    }

    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _: StepMemory) {
        let x = inputs[0].assumingMemoryBound(to: Float.self), y = outputs[0].assumingMemoryBound(to: Float.self)
        let count = Float(Swift.max(reducedOffsets.count, 1))
        outputBases.withUnsafeBufferPointer { bases in
            reducedOffsets.withUnsafeBufferPointer { offsets in
                for o in 0..<bases.count {
                    let p = x + bases[o]
                    var sum: Float
                    if contiguous {
                        sum = ReduceKernel.packetSum(p, count: offsets.count)
                    } else if betweenKeptAxes {
                        sum = ReduceKernel.blockSum(p, offsets)
                    } else {
                        sum = 0
                        for r in offsets { sum += p[r] }
                    }
                    y[o] = mean ? sum / count : sum
                }
            }
        }
    }

    /// Whether the reduced elements are one contiguous run (the innermost axes).
    var contiguous: Bool { reducedOffsets.enumerated().allSatisfy { $0.offset == $0.element } }

    /// A contiguous sum as onnxruntime's Eigen reduction adds it: two 4-lane accumulators over
    /// pairs of packets, one more packet, the lanes reduced (0+2)+(1+3), then the tail in order.
    static func packetSum(_ p: UnsafePointer<Float>, count: Int) -> Float {
        let packets = count / 4 * 4, pairs = count / 8 * 8
        guard packets > 0 else {
            var sum: Float = 0
            for i in 0..<count { sum += p[i] }
            return sum
        }
        func packet(_ i: Int) -> SIMD4<Float> { SIMD4(p[i], p[i + 1], p[i + 2], p[i + 3]) }
        var first = packet(0)
        if packets > 4 {
            var second = packet(4)
            var i = 8
            while i < pairs {
                first += packet(i)
                second += packet(i + 4)
                i += 8
            }
            first += second
            if packets > pairs { first += packet(pairs) }
        }
        var sum = (first[0] + first[2]) + (first[1] + first[3])
        for i in packets..<count { sum += p[i] }
        return sum
    }

    /// A strided sum as MLAS's one-row SGEMM kernel adds it: four elements at a time left to right,
    /// each partial sum added to the total, then a last pair, then a last single element.
    static func blockSum(_ p: UnsafePointer<Float>, _ offsets: UnsafeBufferPointer<Int>) -> Float {
        var total: Float = 0, i = 0
        while offsets.count - i >= 4 {
            total = (((p[offsets[i]] + p[offsets[i + 1]]) + p[offsets[i + 2]]) + p[offsets[i + 3]]) + total
            i += 4
        }
        if offsets.count - i >= 2 {
            total = (p[offsets[i]] + p[offsets[i + 1]]) + total
            i += 2
        }
        if offsets.count - i == 1 { total = p[offsets[i]] + total }
        return total
    }

    /// onnxruntime's "KRK" case: merging adjacent axes that are alike (reduced or kept) leaves kept,
    /// reduced, kept, and the leading kept axes hold at least 2 rows (one thread).
    static func reducesBetweenKeptAxes(shape: [Int], reduced: Set<Int>) -> Bool {
        var runs: [Bool] = []
        for axis in shape.indices where runs.last != reduced.contains(axis) { runs.append(reduced.contains(axis)) }
        let leading = shape.indices.prefix { !reduced.contains($0) }.reduce(1) { $0 * shape[$1] }
        return runs == [false, true, false] && leading >= 2
    }

    static func build(mean: Bool) -> (NodeContext) throws -> KernelPlan {
        return { context in
            _ = try context.requireElement(0, [.float32])
            let input = try context.input(0).type
            let reduction = try ReductionAxes(context, input: input)
            if reduction.isNoOp { return .alias(input) }
            let betweenKeptAxes = reducesBetweenKeptAxes(shape: input.shape, reduced: reduction.reduced)
            return .compute(.reduce(mean: mean, outputBases: reduction.outputBases, reducedOffsets: reduction.reducedOffsets,
                                    betweenKeptAxes: betweenKeptAxes),
                            outputs: [TensorType(.float32, reduction.outputShape)])
        }
    }
}
