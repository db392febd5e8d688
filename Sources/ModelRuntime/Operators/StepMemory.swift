/// The memory a step works in besides its operands, in one graph instance (see `Kernel`).
struct StepMemory {
    /// The step's own scratch: `scratchBytes`, zeroed at instance creation, kept between runs.
    let own: UnsafeMutableRawPointer
    /// The instance's workspace, shared by its steps: `workspaceBytes`, undefined at the start of a run.
    let shared: UnsafeMutableRawPointer
}
