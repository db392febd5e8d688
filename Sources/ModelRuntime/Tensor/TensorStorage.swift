/// A block of memory holding a constant: owned and 64-byte aligned, or a view into a mapped model
/// file. Freed (or the file released) when the last reference goes away.
final class TensorStorage {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int
    /// The file a view keeps mapped; nil for owned memory.
    private let mappedFile: MappedFile?

    init(byteCount: Int) {
        self.byteCount = byteCount
        mappedFile = nil
        // Never zero bytes: scalars of empty shape still get a valid address.
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 64), alignment: 64)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 64))
    }

    /// A copy of `bytes`, without zeroing first (a large model's weights are written once, not twice).
    init(copying bytes: UnsafeRawBufferPointer) {
        byteCount = bytes.count
        mappedFile = nil
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 64), alignment: 64)
        if let base = bytes.baseAddress { pointer.copyMemory(from: base, byteCount: byteCount) }
        if byteCount < 64 { (pointer + byteCount).initializeMemory(as: UInt8.self, repeating: 0, count: 64 - byteCount) }
    }

    /// The bytes in place, in `file`'s private mapping (byte-sized elements only: no alignment).
    init(viewing bytes: UnsafeRawBufferPointer, in file: MappedFile) {
        byteCount = bytes.count
        mappedFile = file
        pointer = UnsafeMutableRawPointer(mutating: bytes.baseAddress!)
    }

    /// For a view, hands its pages back to the page cache (`MappedFile.releasePages(of:)`); for owned
    /// memory, nothing. Called once a weight has been packed and its original bytes are no longer read.
    func releaseMappedPages() {
        mappedFile?.releasePages(of: UnsafeRawBufferPointer(start: pointer, count: byteCount))
    }

    deinit {
        if mappedFile == nil { pointer.deallocate() }
    }
}
