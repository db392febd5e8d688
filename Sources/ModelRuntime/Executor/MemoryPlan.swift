/// The memory a compiled graph holds, fixed at load: shared by every instance (constants, kernels)
/// or held by each instance (arena, persistent region, scratch).
public struct MemoryPlan: Sendable, CustomStringConvertible {
    /// Bytes of the arena shared by all intermediates.
    public let arenaBytes: Int
    /// Bytes of graph inputs and outputs (state caches included), never reused.
    public let persistentBytes: Int
    /// Bytes of the steps' own scratch, kept between runs (zero-padded quantized rows, bordered planes).
    public let scratchBytes: Int
    /// Bytes of working memory the steps share in turn (products, tile sums, im2col): the largest step's.
    public let workspaceBytes: Int
    /// Bytes of weights and folded constants the steps read.
    public let constantBytes: Int
    /// Bytes kernels allocated at load for themselves: weights repacked for their loops
    /// (int8 weights widened to Int16, transposed Gemm weights) and index tables.
    public let kernelBytes: Int
    /// Kernel calls per run.
    public let stepCount: Int

    /// What every instance (one per stream) holds.
    public var instanceBytes: Int { arenaBytes + persistentBytes + scratchBytes + workspaceBytes }
    /// What the program holds once, whatever the number of instances.
    public var sharedBytes: Int { constantBytes + kernelBytes }
    /// The program with one instance.
    public var totalBytes: Int { instanceBytes + sharedBytes }

    public var description: String {
        "arena \(arenaBytes) B, persistent \(persistentBytes) B, scratch \(scratchBytes) B, workspace \(workspaceBytes) B, constants \(constantBytes) B, "
            + "kernel-owned \(kernelBytes) B, \(stepCount) steps"
    }
}
