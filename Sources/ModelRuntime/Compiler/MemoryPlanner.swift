/// Where a value's bytes live after planning.
enum Placement: Equatable {
    case constant(String)
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
        var placements: [String: Placement]
        var arenaBytes: Int
        var persistentBytes: Int
        /// Graph outputs whose bytes belong to something else (an input, a constant, another output):
        /// copied into their own persistent slot after the last step. (output, source) pairs.
        var finalCopies: [(output: String, source: String)]
    }

    static func aligned(_ bytes: Int) -> Int { (max(bytes, 1) + alignment - 1) / alignment * alignment }

    /// `carriedStates` maps a graph output to the graph input it becomes in the next run.
    static func plan(_ graph: SpecializedGraph, carriedStates: [String: String] = [:]) -> Result {
        // Root value of every alias chain; an in-place output joins its first input's chain.
        var root: [String: String] = [:]
        func rootOf(_ name: String) -> String { root[name] ?? name }
        let inPlace = inPlaceOutputs(graph)
        for (index, step) in graph.steps.enumerated() {
            if case .alias = step.kind { root[step.outputs[0]] = rootOf(step.inputs[0]) }
            if inPlace.contains(index) { root[step.outputs[0]] = rootOf(step.inputs[0]) }
        }

        var placements: [String: Placement] = [:]
        var persistent = 0
        func claimPersistent(_ name: String) {
            placements[name] = .persistent(persistent)
            persistent += aligned(graph.values[name]?.type.byteCount ?? 0)
        }
        for name in graph.inputs { claimPersistent(name) }

        let computed = Set(graph.steps.flatMap { step -> [String] in
            step.computes ? step.outputs : []
        })
        var finalCopies: [(String, String)] = []
        var claimedRoots = Set<String>()
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
                finalCopies.append((output, output))
                placements["\(output)#copy"] = .persistent(persistent)
                persistent += aligned(graph.values[output]?.type.byteCount ?? 0)
            }
        }

        for step in graph.steps where step.keepsOutputBetweenRuns && placements[step.outputs[0]] == nil {
            claimPersistent(step.outputs[0])
        }

        // Lifetimes of arena roots, in step indices.
        var first: [String: Int] = [:], last: [String: Int] = [:]
        for (index, step) in graph.steps.enumerated() {
            for input in step.inputs where !input.isEmpty {
                let r = rootOf(input)
                if first[r] != nil { last[r] = index }
            }
            if step.computes {
                for output in step.outputs where placements[output] == nil && root[output] == nil {
                    first[output] = index
                    last[output] = max(last[output] ?? index, index)
                }
            }
        }
        struct Block { var name: String; var size: Int; var start: Int; var end: Int; var offset = 0 }
        var blocks = first.keys.map { name in
            Block(name: name, size: aligned(graph.values[name]?.type.byteCount ?? 0), start: first[name]!, end: last[name]!)
        }
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
            placements[block.name] = .arena(offset)
        }

        for (name, info) in graph.values where info.constant != nil { placements[name] = .constant(name) }
        // Aliases take their root's placement.
        for (name, source) in root { placements[name] = placements[source] }
        return Result(placements: placements, arenaBytes: arena, persistentBytes: persistent, finalCopies: finalCopies)
    }

    /// Whether the bytes rooted at a computed value can be those of a carried graph input: every
    /// step that reads the input comes before the first step writing the value, or is that step
    /// updating the input in place (a ScatterND whose data it is).
    private struct CarriedStateCheck {
        /// The first step writing each root.
        var writers: [String: Int] = [:]
        /// Per carried input: the steps reading it (or an alias of it), with the operand positions.
        var reads: [String: [(step: Int, operand: Int)]] = [:]
        /// The root of output 0 of each step that may compute it in input 0's bytes.
        var overwrites: [Int: String] = [:]

        init(_ graph: SpecializedGraph, carriedInputs: Set<String>, rootOf: (String) -> String) {
            for (index, step) in graph.steps.enumerated() {
                if step.mayOverwriteFirstInput { overwrites[index] = rootOf(step.outputs[0]) }
                for (operand, input) in step.inputs.enumerated() where !input.isEmpty {
                    let root = rootOf(input)
                    if carriedInputs.contains(root) { reads[root, default: []].append((index, operand)) }
                }
                if step.computes {
                    for output in step.outputs where writers[rootOf(output)] == nil { writers[rootOf(output)] = index }
                }
            }
        }

        func canCarry(_ root: String, into input: String) -> Bool {
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
        var aliasRoot: [String: String] = [:]
        func aliasRootOf(_ name: String) -> String { aliasRoot[name] ?? name }
        var lastRead: [String: Int] = [:]
        for (index, step) in graph.steps.enumerated() {
            if case .alias = step.kind { aliasRoot[step.outputs[0]] = aliasRootOf(step.inputs[0]) }
            for input in step.inputs where !input.isEmpty { lastRead[aliasRootOf(input)] = index }
        }
        for output in graph.outputs { lastRead[aliasRootOf(output)] = Int.max }
        for step in graph.steps where step.keepsOutputBetweenRuns { lastRead[step.outputs[0]] = Int.max }
        for input in graph.inputs { lastRead[aliasRootOf(input)] = Int.max }

        var owner: [String: String] = [:]
        func ownerOf(_ name: String) -> String {
            let chain = aliasRootOf(name)
            return owner[chain] ?? chain
        }
        var chainLastRead: [String: Int] = [:]
        var selected = Set<Int>()
        for (index, step) in graph.steps.enumerated() where step.mayOverwriteFirstInput {
            guard let data = step.inputs.first, !data.isEmpty, graph.values[data]?.constant == nil,
                  graph.values[step.outputs[0]]?.type.byteCount == graph.values[data]?.type.byteCount else { continue }
            let bytes = ownerOf(data)
            guard graph.values[bytes]?.constant == nil, (chainLastRead[bytes] ?? lastRead[bytes] ?? 0) <= index,
                  !step.inputs.dropFirst().contains(where: { !$0.isEmpty && ownerOf($0) == bytes }) else { continue }
            let output = aliasRootOf(step.outputs[0])
            owner[output] = bytes
            chainLastRead[bytes] = Swift.max(index, lastRead[output] ?? index)
            selected.insert(index)
        }
        return selected
    }
}
