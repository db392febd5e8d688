/// The memory a compiled graph holds, fixed at load.
public struct MemoryPlan: Sendable, CustomStringConvertible {
    /// Bytes of the arena shared by all intermediates.
    public let arenaBytes: Int
    /// Bytes of graph inputs and outputs (state caches included), never reused.
    public let persistentBytes: Int
    /// Bytes of weights and folded constants the steps read.
    public let constantBytes: Int
    /// Bytes kernels allocated at load for themselves: weights repacked for their loops
    /// (int8 weights widened to Int16, transposed Gemm weights) and scratch (im2col).
    public let kernelBytes: Int
    /// Kernel calls per run.
    public let stepCount: Int

    /// Everything above: the graph's memory after load, fixed.
    public var totalBytes: Int { arenaBytes + persistentBytes + constantBytes + kernelBytes }

    public var description: String {
        "arena \(arenaBytes) B, persistent \(persistentBytes) B, constants \(constantBytes) B, "
            + "kernel-owned \(kernelBytes) B, \(stepCount) steps"
    }
}
