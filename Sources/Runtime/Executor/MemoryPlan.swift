/// The memory a compiled graph holds, fixed at load.
public struct MemoryPlan: Sendable, CustomStringConvertible {
    /// Bytes of the arena shared by all intermediates.
    public let arenaBytes: Int
    /// Bytes of graph inputs and outputs (state caches included), never reused.
    public let persistentBytes: Int
    /// Bytes of weights and folded constants the steps read.
    public let constantBytes: Int
    /// Kernel calls per run.
    public let stepCount: Int

    public var description: String {
        "arena \(arenaBytes) B, persistent \(persistentBytes) B, constants \(constantBytes) B, \(stepCount) steps"
    }
}
