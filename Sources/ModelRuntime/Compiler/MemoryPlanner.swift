/// Where a value's bytes live after planning.
enum Placement: Equatable {
    case constant(ValueID)
    /// Byte offset in the arena of intermediates (reused across lifetimes).
    case arena(Int)
    /// Byte offset in the persistent region (graph inputs and outputs, never reused).
    case persistent(Int)
}

/// Assigns every value a placement: aliases share their source's bytes, and so do the outputs of
/// steps that update their first input in place (see `inPlaceOutputs`); graph inputs and outputs,
/// and the outputs steps keep between runs, live in the persistent region (a carried state output in
/// its input's bytes where it can, see `carriedStates`); intermediates get offsets in one arena from
/// their lifetimes over the schedule (greedy first fit, largest first).
struct MemoryPlanner {
    static let alignment = 64

    struct Result {
        var placements: ValueMap<Placement>
        var arenaBytes: Int
        var persistentBytes: Int
        /// Graph outputs whose bytes belong to something else (an input, a constant, another output):
        /// copied into their own persistent slot, at `offset`, after the last step.
        var finalCopies: [(output: ValueID, offset: Int)]
    }

    static func aligned(_ bytes: Int) -> Int { (max(bytes, 1) + alignment - 1) / alignment * alignment }

    /// `carriedStates` maps a graph output to the graph input it becomes in the next run.
    static func plan(_ graph: SpecializedGraph, carriedStates: [ValueID: ValueID] = [:]) -> Result {
        let valueCount = graph.names.count
        // Root value of every alias chain; an in-place output joins its first input's chain.
        var root = ValueMap<ValueID>(capacity: valueCount)
        func rootOf(_ value: ValueID) -> ValueID { root[value] ?? value }
        let inPlace = inPlaceOutputs(graph)
        for (index, step) in graph.steps.enumerated() {
            if case .alias = step.kind { root[step.outputs[0]] = rootOf(step.inputs[0]) }
            if inPlace.contains(index) { root[step.outputs[0]] = rootOf(step.inputs[0]) }
        }

        var placements = ValueMap<Placement>(capacity: valueCount)
        var persistent = 0
        func claimPersistent(_ value: ValueID) {
            placements[value] = .persistent(persistent)
            persistent += aligned(graph.values[value]?.type.byteCount ?? 0)
        }
        for input in graph.inputs { claimPersistent(input) }

        var computed = ValueSet(capacity: valueCount)
        for step in graph.steps where step.computes {
            for output in step.outputs { computed.insert(output) }
        }
        var finalCopies: [(ValueID, Int)] = []
        var claimedRoots = Set<ValueID>()
        let carrying = CarriedStateCheck(graph, carriedInputs: Set(carriedStates.values), rootOf: rootOf)
        for output in graph.outputs {
            let source = rootOf(output)
            if computed.contains(source) && !claimedRoots.contains(source) {
                claimedRoots.insert(source)
                if let input = carriedStates[output], carrying.canCarry(source, into: input) {
                    placements[source] = placements[input]
                } else {
                    claimPersistent(source)
                }
            } else {
                finalCopies.append((output, persistent))
                persistent += aligned(graph.values[output]?.type.byteCount ?? 0)
            }
        }

        for step in graph.steps where step.keepsOutputBetweenRuns && placements[step.outputs[0]] == nil {
            claimPersistent(step.outputs[0])
        }

        // Lifetimes of arena roots, in step indices.
        var first = ValueMap<Int>(capacity: valueCount), last = ValueMap<Int>(capacity: valueCount)
        var arenaValues: [ValueID] = []
        for (index, step) in graph.steps.enumerated() {
            for input in step.inputs where !input.isOmitted {
                let r = rootOf(input)
                if first[r] != nil { last[r] = index }
            }
            if step.computes {
                for output in step.outputs where placements[output] == nil && root[output] == nil {
                    if first[output] == nil { arenaValues.append(output) }
                    first[output] = index
                    last[output] = max(last[output] ?? index, index)
                }
            }
        }
        struct Block { var value: ValueID; var name: String; var size: Int; var start: Int; var end: Int; var offset = 0 }
        var blocks = arenaValues.map { value in
            Block(value: value, name: graph.names[value], size: aligned(graph.values[value]?.type.byteCount ?? 0),
                  start: first[value]!, end: last[value]!)
        }
        // Ties in size go by name, so that the layout does not depend on how values are numbered.
        blocks.sort { $0.size != $1.size ? $0.size > $1.size : $0.name < $1.name }
        var placed: [Block] = []
        var arena = 0
        for var block in blocks {
            let overlapping = placed.filter { $0.start <= block.end && block.start <= $0.end }.sorted { $0.offset < $1.offset }
            var offset = 0
            for other in overlapping where offset + block.size > other.offset {
                offset = max(offset, other.offset + other.size)
            }
            block.offset = offset
            arena = max(arena, offset + block.size)
            placed.append(block)
            placements[block.value] = .arena(offset)
        }

        for (value, info) in graph.values.entries where info.constant != nil { placements[value] = .constant(value) }
        // Aliases take their root's placement.
        for (value, source) in root.entries { placements[value] = placements[source] }
        return Result(placements: placements, arenaBytes: arena, persistentBytes: persistent, finalCopies: finalCopies)
    }

    /// Whether the bytes rooted at a computed value can be those of a carried graph input: every
    /// step that reads the input comes before the first step writing the value, or is that step
    /// updating the input in place (a ScatterND whose data it is).
    private struct CarriedStateCheck {
        /// The first step writing each root.
        var writers: ValueMap<Int>
        /// Per carried input: the steps reading it (or an alias of it), with the operand positions.
        var reads: [ValueID: [(step: Int, operand: Int)]] = [:]
        /// The root of output 0 of each step that may compute it in input 0's bytes.
        var overwrites: [Int: ValueID] = [:]

        init(_ graph: SpecializedGraph, carriedInputs: Set<ValueID>, rootOf: (ValueID) -> ValueID) {
            writers = ValueMap(capacity: graph.names.count)
            for (index, step) in graph.steps.enumerated() {
                if step.mayOverwriteFirstInput { overwrites[index] = rootOf(step.outputs[0]) }
                for (operand, input) in step.inputs.enumerated() where !input.isOmitted {
                    let root = rootOf(input)
                    if carriedInputs.contains(root) { reads[root, default: []].append((index, operand)) }
                }
                if step.computes {
                    for output in step.outputs where writers[rootOf(output)] == nil { writers[rootOf(output)] = index }
                }
            }
        }

        func canCarry(_ root: ValueID, into input: ValueID) -> Bool {
            guard let writer = writers[root] else { return false }
            let inputReads = reads[input] ?? []
            return inputReads.allSatisfy { read in
                read.step < writer || (read.step == writer && read.operand == 0 && overwrites[writer] == root
                                       && inputReads.filter { $0.step == writer }.count == 1)
            }
        }
    }

    /// Indices of the steps that may write output 0 over input 0: the step allows it, input 0's bytes
    /// belong to an intermediate (not a graph input, output or constant), and no other operand of
    /// this step or of a later one reads them. A conformer's cache passes through 12 ScatterNDs per
    /// chunk, one per layer; in place, each writes its layer's slice instead of copying the cache.
    static func inPlaceOutputs(_ graph: SpecializedGraph) -> Set<Int> {
        // Bytes are shared by alias chains, then by the in-place chains made below: `owner` maps a
        // chain root to the root whose bytes it uses.
        let valueCount = graph.names.count
        var aliasRoot = ValueMap<ValueID>(capacity: valueCount)
        func aliasRootOf(_ value: ValueID) -> ValueID { aliasRoot[value] ?? value }
        var lastRead = ValueMap<Int>(capacity: valueCount)
        for (index, step) in graph.steps.enumerated() {
            if case .alias = step.kind { aliasRoot[step.outputs[0]] = aliasRootOf(step.inputs[0]) }
            for input in step.inputs where !input.isOmitted { lastRead[aliasRootOf(input)] = index }
        }
        for output in graph.outputs { lastRead[aliasRootOf(output)] = Int.max }
        for step in graph.steps where step.keepsOutputBetweenRuns { lastRead[step.outputs[0]] = Int.max }
        for input in graph.inputs { lastRead[aliasRootOf(input)] = Int.max }

        var owner = ValueMap<ValueID>(capacity: valueCount)
        func ownerOf(_ value: ValueID) -> ValueID {
            let chain = aliasRootOf(value)
            return owner[chain] ?? chain
        }
        var chainLastRead = ValueMap<Int>(capacity: valueCount)
        var selected = Set<Int>()
        for (index, step) in graph.steps.enumerated() where step.mayOverwriteFirstInput {
            guard let data = step.inputs.first, !data.isOmitted, graph.values[data]?.constant == nil,
                  graph.values[step.outputs[0]]?.type.byteCount == graph.values[data]?.type.byteCount else { continue }
            let bytes = ownerOf(data)
            guard graph.values[bytes]?.constant == nil, (chainLastRead[bytes] ?? lastRead[bytes] ?? 0) <= index,
                  !step.inputs.dropFirst().contains(where: { !$0.isOmitted && ownerOf($0) == bytes }) else { continue }
            let output = aliasRootOf(step.outputs[0])
            owner[output] = bytes
            chainLastRead[bytes] = Swift.max(index, lastRead[output] ?? index)
            selected.insert(index)
        }
        return selected
    }
}
