extension Lowering {
    /// The reference kernel of a node: what lowering makes for a step no other kernel takes, and
    /// what folding runs on a node whose inputs are all known at load.
    static func referenceKernel(_ operation: NodeOperation) -> Kernel {
        switch operation {
        case .convolution(let geometry, let hasBias):
            return ConvKernel(geometry: geometry, hasBias: hasBias)
        case .matMul(let a, let layout):
            return MatMulKernel(a, layout: layout)
        case .gemm(let attributes):
            return GemmKernel(attributes)
        case .matMulInteger(let a):
            return MatMulIntegerKernel(m: a.m, k: a.k, n: a.n, layout: a.layout, bCount: a.bCount, aSigned: a.aSigned,
                                       bSigned: a.bSigned, saturatesPairs: a.saturatesPairs, hasAZero: a.hasAZero,
                                       hasBZero: a.hasBZero, bZeroCount: a.bZeroCount, constantB: a.constantB,
                                       constantBZero: a.constantBZero)
        case .dynamicQuantizeLinear(let count):
            return DynamicQuantizeLinearKernel(count: count)
        case .dequantizeLinear(let count, let signed, let hasZero):
            return DequantizeLinearKernel(count: count, signed: signed, hasZero: hasZero)
        case .softmax(let rows, let width, let innerCount, let lanes):
            return SoftmaxKernel(rows: rows, width: width, innerCount: innerCount, lanes: lanes)
        case .copy(let copy):
            return CopyKernel(width: copy.width, outputShape: copy.outputShape, inputStrides: copy.inputStrides,
                              baseOffset: copy.baseOffset)
        case .binary(let binary, let element, let layout):
            return BinaryKernel(binary, element: element, layout: layout)
        case .unaryFloat(let function, let count):
            return UnaryFloatKernel(function, count: count)
        case .clipInt64(let low, let high, let count):
            return ClipInt64Kernel(low: low, high: high, count: count)
        case .negateInt64(let count):
            return NegateInt64Kernel(count: count)
        case .select(let width, let layout):
            return WhereKernel(width: width, layout: layout)
        case .cast(let from, let to, let count):
            return CastKernel(from: from, to: to, count: count)
        case .concat(let outerCount, let blockBytes):
            return ConcatKernel(outerCount: outerCount, blockBytes: blockBytes)
        case .split(let outerCount, let blockBytes):
            return SplitKernel(outerCount: outerCount, blockBytes: blockBytes)
        case .gather(let outer, let axisSize, let innerBytes, let indexCount, let indexIs64):
            return GatherKernel(outer: outer, axisSize: axisSize, innerBytes: innerBytes, indexCount: indexCount, indexIs64: indexIs64)
        case .gatherElements(let width, let baseOffsets, let axisStride, let axisSize, let indexIs64):
            return GatherElementsKernel(width: width, baseOffsets: baseOffsets, axisStride: axisStride, axisSize: axisSize,
                                        indexIs64: indexIs64)
        case .scatter(let dataBytes, let sliceBytes, let tupleCount, let tupleLength, let axisSizes, let axisStrides, let width):
            return ScatterNDKernel(dataBytes: dataBytes, sliceBytes: sliceBytes, tupleCount: tupleCount, tupleLength: tupleLength,
                                   axisSizes: axisSizes, axisStrides: axisStrides, width: width)
        case .cumSum(let element, let outerCount, let axisSize, let innerCount, let exclusive, let reverse):
            return CumSumKernel(element: element, outerCount: outerCount, axisSize: axisSize, innerCount: innerCount,
                                exclusive: exclusive, reverse: reverse)
        case .reduce(let mean, let outputBases, let reducedOffsets, let betweenKeptAxes):
            return ReduceKernel(mean: mean, outputBases: outputBases, reducedOffsets: reducedOffsets, betweenKeptAxes: betweenKeptAxes)
        case .reduceMax(let element, let outputBases, let reducedOffsets):
            return ReduceMaxKernel(element: element, outputBases: outputBases, reducedOffsets: reducedOffsets)
        }
    }
}
