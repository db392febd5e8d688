/// Rewrites self-attention into `Attention` steps and the remaining fp32 MatMuls into strided
/// `MatMul` steps (`AttentionOperation`, `StridedMatMulOperation`), with the copies around them (head-splitting Transposes, Slices,
/// the Transpose that merges heads back) read or written in place.
///
/// An attention step grows from a Softmax backwards over an optional Where (mask), an optional
/// Add (position bias) to a MatMul (scores), each read only by the next. It takes in the MatMuls
/// that multiply the softmax weights by a value tensor when scheduling allows: the fused step sits
/// where its last member sat, so every other reader of its outputs must come after that. (In the
/// zipformer2 encoder the weights are shared by three products whose value tensors depend on
/// each other's results, so there those stay strided MatMul steps of their own.)
enum AttentionFusion {
    static func apply(_ graph: SpecializedGraph) -> SpecializedGraph {
        let uses = ValueUses(graph)
        let exposed = Set(graph.outputs)
        var steps = graph.steps.map(Optional.some)
        var taken = Set<Int>()

        func operation(_ index: Int) -> NodeOperation? {
            guard case .node(let operation) = graph.steps[index].kind else { return nil }
            return operation
        }
        func copyView(_ index: Int) -> CopyAttributes? {
            guard case .copy(let copy)? = operation(index) else { return nil }
            return copy
        }
        func matMul(_ index: Int) -> MatMulAttributes? {
            guard case .matMul(let matMul, _)? = operation(index) else { return nil }
            return matMul
        }
        func isFloatAdd(_ index: Int) -> Bool {
            guard case .binary(.add, element: .float32, _)? = operation(index) else { return false }
            return true
        }
        func shape(_ value: ValueID) -> [Int]? { graph.values[value]?.type.shape }
        func isFloat(_ value: ValueID) -> Bool { graph.values[value]?.type.element == .float32 }
        /// The one step reading `value`, if exactly one step reads it once and it is no graph output.
        func onlyReader(_ value: ValueID) -> Int? {
            guard !exposed.contains(value), let readers = uses.consumers[value], readers.count == 1 else { return nil }
            return readers[0]
        }
        /// `value` read as `target`, through the copy step producing it when only `reader` reads it.
        func operand(_ value: ValueID, reader: Int, target: [Int]) -> (value: ValueID, view: MatrixView, copy: Int?)? {
            guard let own = shape(value) else { return nil }
            if let producer = uses.producer[value], onlyReader(value) == reader, !taken.contains(producer),
               let copy = copyView(producer), copy.width == 4, copy.outputShape == own,
               let source = graph.steps[producer].inputs.first, !source.isOmitted {
                return (source, MatrixView(base: copy.baseOffset, shape: own, strides: copy.inputStrides, target: target), producer)
            }
            return (value, MatrixView(contiguous: own, target: target), nil)
        }
        /// Where `index`'s result goes: in place into the Transpose that alone reads it, or as is.
        func result(of index: Int, shape own: [Int]) -> (value: ValueID, view: MatrixView, copy: Int?) {
            let value = graph.steps[index].outputs[0]
            if let reader = onlyReader(value), !taken.contains(reader), let copy = copyView(reader),
               copy.width == 4, let permutation = copy.permutation, permutation.count == own.count {
                let placed = contiguousStrides(copy.outputShape)
                var strides = [Int](repeating: 0, count: own.count)
                for (axis, source) in permutation.enumerated() { strides[source] = placed[axis] }
                return (graph.steps[reader].outputs[0], MatrixView(shape: own, strides: strides, target: own), reader)
            }
            return (value, MatrixView(contiguous: own, target: own), nil)
        }

        func attention(_ softmaxIndex: Int, width: Int, lanes: Int) -> (step: PlannedStep, members: [Int], place: Int)? {
            let weights = graph.steps[softmaxIndex].outputs[0]
            guard var value = graph.steps[softmaxIndex].inputs.first, let full = shape(value), full.count >= 2 else { return nil }
            var members = [softmaxIndex]
            var maskOperands: (condition: ValueID, fill: ValueID, fillWhereTrue: Bool)?
            var biasName: ValueID?
            if let index = uses.producer[value], onlyReader(value) == softmaxIndex, case .select? = operation(index),
               isFloat(value) {
                let inputs = graph.steps[index].inputs
                guard inputs.count == 3 else { return nil }
                // The scores are the operand computed by an Add or MatMul of the full shape.
                func isScores(_ candidate: ValueID) -> Bool {
                    guard shape(candidate) == full, let p = uses.producer[candidate], onlyReader(candidate) == index else { return false }
                    return matMul(p) != nil || isFloatAdd(p)
                }
                if isScores(inputs[2]) {
                    maskOperands = (inputs[0], inputs[1], true)
                    value = inputs[2]
                } else if isScores(inputs[1]) {
                    maskOperands = (inputs[0], inputs[2], false)
                    value = inputs[1]
                } else { return nil }
                members.append(index)
            }
            if let index = uses.producer[value], onlyReader(value) == members.last, isFloatAdd(index) {
                let inputs = graph.steps[index].inputs
                guard inputs.count == 2, shape(value) == full else { return nil }
                let scoresFirst = uses.producer[inputs[0]].map { matMul($0) != nil } ?? false
                let scores = scoresFirst ? inputs[0] : inputs[1], other = scoresFirst ? inputs[1] : inputs[0]
                guard shape(scores) == full, onlyReader(scores) == index else { return nil }
                biasName = other
                value = scores
                members.append(index)
            }
            guard let matmulIndex = uses.producer[value], onlyReader(value) == members.last,
                  let matmul = matMul(matmulIndex), !matmul.flattensA, shape(value) == full else { return nil }
            members.append(matmulIndex)
            let rows = matmul.m, depth = matmul.k, keys = matmul.n
            guard width == keys else { return nil }
            let batch = Array(full.dropLast(2))
            let matmulInputs = graph.steps[matmulIndex].inputs
            guard let query = operand(matmulInputs[0], reader: matmulIndex, target: batch + [rows, depth]),
                  let key = operand(matmulInputs[1], reader: matmulIndex, target: batch + [depth, keys]) else { return nil }
            var inputs = [query.value, key.value]
            var copies = [query.copy, key.copy].compactMap { $0 }
            var bias: MatrixView?
            if let biasName, let biasShape = shape(biasName) {
                bias = MatrixView(contiguous: biasShape, target: full)
                inputs.append(biasName)
            }
            var mask: AttentionMask?
            if let maskOperands, let conditionShape = shape(maskOperands.condition), let fillShape = shape(maskOperands.fill),
               graph.values[maskOperands.condition]?.type.element == .bool, isFloat(maskOperands.fill) {
                mask = AttentionMask(condition: MatrixView(contiguous: conditionShape, target: full),
                                     fill: MatrixView(contiguous: fillShape, target: full),
                                     fillWhereTrue: maskOperands.fillWhereTrue)
                inputs += [maskOperands.condition, maskOperands.fill]
            } else if maskOperands != nil { return nil }

            // Weights x value products, latest first, until the fused step can sit at its last member.
            var products: [(index: Int, value: ValueID, view: MatrixView, width: Int, output: ValueID, outputView: MatrixView,
                            copies: [Int])] = []
            for reader in Set(uses.consumers[weights] ?? []).sorted() where !taken.contains(reader) {
                let readerInputs = graph.steps[reader].inputs
                guard let product = matMul(reader), !product.flattensA, readerInputs.count == 2, readerInputs[0] == weights,
                      readerInputs[1] != weights, product.m == rows, product.k == keys,
                      let resultShape = shape(graph.steps[reader].outputs[0]), Array(resultShape.dropLast(2)) == batch,
                      let v = operand(readerInputs[1], reader: reader, target: batch + [keys, product.n]) else { continue }
                let placed = result(of: reader, shape: resultShape)
                products.append((reader, v.value, v.view, product.n, placed.value, placed.view, [v.copy, placed.copy].compactMap { $0 }))
            }
            while true {
                let all = members + products.flatMap { [$0.index] + $0.copies }
                let place = ([softmaxIndex] + products.map(\.index)).max() ?? softmaxIndex
                let outputs = [weights] + products.map(\.output)
                let readersAfter = outputs.allSatisfy { output in
                    (uses.consumers[output] ?? []).allSatisfy { all.contains($0) || $0 > place }
                }
                if readersAfter || products.isEmpty { break }
                products.removeLast()
            }
            let place = ([softmaxIndex] + products.map(\.index)).max() ?? softmaxIndex
            inputs += products.map(\.value)
            copies += products.flatMap(\.copies)
            let operation = AttentionOperation(rows: rows, depth: depth, keys: keys, query: query.view, key: key.view, bias: bias,
                                               mask: mask,
                                               values: products.map { .init(view: $0.view, width: $0.width, output: $0.outputView) },
                                               softmaxLanes: lanes)
            let step = PlannedStep(kind: .fused(.attention(operation)), opType: "Attention", inputs: inputs,
                                   outputs: [weights] + products.map(\.output))
            return (step, members + copies + products.map(\.index), place)
        }

        // Attention steps, one per Softmax that has the pattern.
        for softmaxIndex in graph.steps.indices {
            guard case .softmax(_, let width, innerCount: 1, let lanes)? = operation(softmaxIndex), !taken.contains(softmaxIndex),
                  let fused = attention(softmaxIndex, width: width, lanes: lanes) else { continue }
            for member in fused.members { steps[member] = nil; taken.insert(member) }
            steps[fused.place] = fused.step
        }

        // The other fp32 MatMuls take their neighbouring copies in place.
        for index in graph.steps.indices where !taken.contains(index) {
            // onnxruntime multiplies a one-column product over all batches' rows at once (one-row
            // kernels over the whole flattened A), which a product per batch cannot round alike.
            guard let matmul = matMul(index), matmul.packedB || !matmul.flattensA || matmul.n > 1,
                  let outputShape = shape(graph.steps[index].outputs[0]) else { continue }
            let batch = Array(outputShape.dropLast(2))
            let inputs = graph.steps[index].inputs
            guard let a = operand(inputs[0], reader: index, target: batch + [matmul.m, matmul.k]),
                  let b = operand(inputs[1], reader: index, target: batch + [matmul.k, matmul.n]) else { continue }
            let placed = result(of: index, shape: outputShape)
            let copies = [a.copy, b.copy, placed.copy].compactMap { $0 }
            guard !copies.isEmpty, copies.allSatisfy({ !taken.contains($0) }) else { continue }
            // The fused step sits at the later of the MatMul and its result's Transpose; inputs are ready by the MatMul.
            let place = placed.copy ?? index
            let constantB = graph.values[b.value]?.constant
            let operation = StridedMatMulOperation(m: matmul.m, k: matmul.k, n: matmul.n, a: a.view, b: b.view, y: placed.view,
                                                   sliceK: matmul.sliceK, packedB: matmul.packedB, flattensA: matmul.flattensA,
                                                   constantB: constantB)
            for member in copies + [index] { steps[member] = nil; taken.insert(member) }
            steps[place] = PlannedStep(kind: .fused(.stridedMatMul(operation)), opType: "MatMul",
                                       inputs: constantB == nil ? [a.value, b.value] : [a.value], outputs: [placed.value])
        }
        return graph.replacingSteps(with: steps.compactMap { $0 })
    }
}
