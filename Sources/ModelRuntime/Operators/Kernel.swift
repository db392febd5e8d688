/// A compute step bound at load to fixed shapes and types. `run` reads its inputs and writes its
/// outputs through pointers resolved at load; it must not allocate.
///
/// A kernel is read-only once made, so one kernel serves every instance of its graph on any
/// thread: what a run writes besides its outputs goes to the instance's `StepMemory`. Kernels are
/// made only where they run (folding, lowering), so making one may allocate what it keeps.
protocol Kernel: AnyObject {
    func run(_ inputs: UnsafePointer<UnsafeRawPointer>, _ outputs: UnsafePointer<UnsafeMutableRawPointer>, _ memory: StepMemory)
    /// Bytes the kernel allocated at load for itself (repacked weights, tables), shared by instances.
    var ownedBytes: Int { get }
    /// Bytes of `memory.own`: the step's alone, zeroed when the instance is made, kept between runs
    /// (for buffers whose padding must stay zero).
    var scratchBytes: Int { get }
    /// Bytes of `memory.shared`: working memory every step of the instance reuses, whose contents
    /// are undefined when a run starts.
    var workspaceBytes: Int { get }
}

extension Kernel {
    var ownedBytes: Int { 0 }
    var scratchBytes: Int { 0 }
    var workspaceBytes: Int { 0 }
}
