/// A program with one instance of its own: the graph for a single caller (tools, tests, one-off runs).
/// Streams that share a model hold one `GraphProgram` and an instance each instead.
public final class CompiledGraph {
    public let program: GraphProgram
    public let instance: GraphInstance

    /// Compiles `path` (see `GraphProgram.init(path:...)`) and makes its instance.
    public convenience init(path: String, inputShapes: [String: [Int]] = [:], additionalOutputs: [String] = [],
                            carriedStatePrefix: String? = nil, options: CompileOptions = .init()) throws {
        self.init(try GraphProgram(path: path, inputShapes: inputShapes, additionalOutputs: additionalOutputs,
                                   carriedStatePrefix: carriedStatePrefix, options: options))
    }

    private init(_ program: GraphProgram) {
        self.program = program
        instance = program.makeInstance()
    }

    public var path: String { program.path }
    public var metadata: [String: String] { program.metadata }
    public var inputNames: [String] { program.inputNames }
    public var outputNames: [String] { program.outputNames }
    public var memoryPlan: MemoryPlan { program.memoryPlan }
    public var operatorCounts: [String: Int] { program.operatorCounts }
    public func type(of name: String) -> TensorType? { program.type(of: name) }
    public func inputIndex(_ name: String) -> Int? { program.inputIndex(name) }
    public func outputIndex(_ name: String) -> Int? { program.outputIndex(name) }
    public func input(at index: Int) -> UnsafeMutableRawPointer { instance.input(at: index) }
    public func output(at index: Int) -> UnsafeRawPointer { instance.output(at: index) }
    public func run() { instance.run() }
    public func profileSteps(iterations: Int) -> [(opType: String, output: String, kernel: String, seconds: Double)] {
        instance.profileSteps(iterations: iterations)
    }
}
