import Dispatch

/// One program's memory for one caller: its arena of intermediates, its persistent inputs and
/// outputs (streaming states among them), its steps' scratch and workspace, with every operand pointer
/// resolved once. `run()` allocates nothing. An instance belongs to one thread at a time; make one
/// per stream, all sharing the program's weights.
public final class GraphInstance {
    public let program: GraphProgram

    /// One step: its kernel (kept alive by the program; unowned so `run()` walks the steps without
    /// reference counting, which per step cost as much as a small kernel) and its operand pointers.
    private struct Dispatch {
        unowned(unsafe) let kernel: Kernel
        let inputs: UnsafeMutablePointer<UnsafeRawPointer>
        let outputs: UnsafeMutablePointer<UnsafeMutableRawPointer>
        let memory: StepMemory
    }

    private let dispatches: UnsafeMutablePointer<Dispatch>
    private let stepCount: Int
    private let copies: [(source: UnsafeRawPointer, target: UnsafeMutableRawPointer, bytes: Int)]
    private let memory: UnsafeMutableRawPointer
    private let inputPointers: [UnsafeMutableRawPointer]
    private let outputPointers: [UnsafeRawPointer]

    init(program: GraphProgram) {
        self.program = program
        let plan = program.memoryPlan
        let alignment = MemoryPlanner.alignment
        func aligned(_ bytes: Int) -> Int { (Swift.max(bytes, 1) + alignment - 1) / alignment * alignment }
        // One block: arena, persistent region, scratch, workspace.
        let persistentStart = aligned(plan.arenaBytes), scratchStart = persistentStart + aligned(plan.persistentBytes)
        let workspaceStart = scratchStart + aligned(plan.scratchBytes)
        let total = workspaceStart + aligned(plan.workspaceBytes)
        memory = .allocate(byteCount: total, alignment: Swift.max(alignment, ScratchLayout.alignment))
        memory.initializeMemory(as: UInt8.self, repeating: 0, count: total)
        let memory = self.memory
        func pointer(_ place: GraphProgram.Place) -> UnsafeMutableRawPointer {
            switch place {
            case .constant(let pointer): return pointer
            case .arena(let offset): return memory + offset
            case .persistent(let offset): return memory + persistentStart + offset
            }
        }
        stepCount = program.calls.count
        dispatches = .allocate(capacity: Swift.max(stepCount, 1))
        for (index, call) in program.calls.enumerated() {
            let inputs = UnsafeMutablePointer<UnsafeRawPointer>.allocate(capacity: Swift.max(call.inputs.count, 1))
            for (i, place) in call.inputs.enumerated() { inputs[i] = UnsafeRawPointer(pointer(place)) }
            let outputs = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: Swift.max(call.outputs.count, 1))
            for (i, place) in call.outputs.enumerated() { outputs[i] = pointer(place) }
            (dispatches + index).initialize(to: Dispatch(kernel: call.kernel, inputs: inputs, outputs: outputs,
                                                         memory: StepMemory(own: memory + scratchStart + call.scratchOffset,
                                                                            shared: memory + workspaceStart)))
        }
        copies = program.copies.map { (UnsafeRawPointer(pointer($0.source)), pointer($0.target), $0.bytes) }
        inputPointers = program.inputPlaces.map(pointer)
        outputPointers = program.outputPlaces.map { UnsafeRawPointer(pointer($0)) }
    }

    deinit {
        for index in 0..<stepCount {
            dispatches[index].inputs.deallocate()
            dispatches[index].outputs.deallocate()
        }
        dispatches.deinitialize(count: stepCount)
        dispatches.deallocate()
        memory.deallocate()
    }

    /// Where the caller writes input `index` before `run()`; stays valid for the instance's lifetime.
    public func input(at index: Int) -> UnsafeMutableRawPointer { inputPointers[index] }
    /// Where output `index` is after `run()`; stays valid for the instance's lifetime.
    public func output(at index: Int) -> UnsafeRawPointer { outputPointers[index] }

    /// Runs every step once over the current inputs.
    public func run() {
        for index in 0..<stepCount {
            let step = dispatches[index]
            step.kernel.run(step.inputs, step.outputs, step.memory)
        }
        copyOutputs()
    }

    /// Runs the program `iterations` times and returns the seconds each step spent per run, in step
    /// order, with its operator type, first output and kernel (for benchmarks; the clock reads add overhead).
    public func profileSteps(iterations: Int) -> [(opType: String, output: String, kernel: String, seconds: Double)] {
        var seconds = [Double](repeating: 0, count: stepCount)
        for _ in 0..<Swift.max(iterations, 1) {
            for index in 0..<stepCount {
                let step = dispatches[index]
                let start = DispatchTime.now().uptimeNanoseconds
                step.kernel.run(step.inputs, step.outputs, step.memory)
                seconds[index] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }
            copyOutputs()
        }
        return zip(program.calls, seconds).map { call, total in
            (call.opType, call.label, String(describing: type(of: call.kernel)), total / Double(Swift.max(iterations, 1)))
        }
    }

    private func copyOutputs() {
        for copy in copies { copy.target.copyMemory(from: copy.source, byteCount: copy.bytes) }
    }
}
