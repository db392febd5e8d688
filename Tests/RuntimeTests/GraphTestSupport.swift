import ModelRuntime

/// Reads and writes graph inputs and outputs as Swift arrays (test convenience; copies).
extension CompiledGraph {
    func setInput(_ name: String, _ values: [Float]) {
        guard let index = inputIndex(name) else { return }
        values.withUnsafeBytes { input(at: index).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    func setInput(_ name: String, _ values: [Int64]) {
        guard let index = inputIndex(name) else { return }
        values.withUnsafeBytes { input(at: index).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    func floats(_ name: String) -> [Float] {
        guard let index = outputIndex(name), let count = type(of: name)?.count else { return [] }
        return Array(UnsafeBufferPointer(start: output(at: index).assumingMemoryBound(to: Float.self), count: count))
    }
}
