/// Lays out a kernel's scratch or workspace: typed buffers at 64-byte aligned offsets, so each run
/// finds its working memory without allocating.
struct ScratchLayout {
    static let alignment = 64
    /// Bytes reserved so far: the kernel's `scratchBytes`.
    private(set) var bytes = 0

    /// Reserves `count` values of `type`; returns their offset in bytes.
    mutating func reserve<T>(_ type: T.Type, count: Int) -> Int {
        let offset = bytes
        let size = Swift.max(count, 1) * MemoryLayout<T>.stride
        bytes += (size + Self.alignment - 1) / Self.alignment * Self.alignment
        return offset
    }
}

extension UnsafeMutableRawPointer {
    /// The scratch buffer of `type` at `offset` (from `ScratchLayout.reserve`).
    @inline(__always)
    func scratch<T>(_ type: T.Type, at offset: Int) -> UnsafeMutablePointer<T> {
        (self + offset).assumingMemoryBound(to: type)
    }
}
