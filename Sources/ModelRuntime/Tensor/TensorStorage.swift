/// An owned, 64-byte aligned block of memory; freed when the last reference goes away.
final class TensorStorage {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        // Never zero bytes: scalars of empty shape still get a valid address.
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 64), alignment: 64)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 64))
    }

    /// A copy of `bytes`, without zeroing first (a large model's weights are written once, not twice).
    init(copying bytes: UnsafeRawBufferPointer) {
        byteCount = bytes.count
        pointer = UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 64), alignment: 64)
        if let base = bytes.baseAddress { pointer.copyMemory(from: base, byteCount: byteCount) }
        if byteCount < 64 { (pointer + byteCount).initializeMemory(as: UInt8.self, repeating: 0, count: 64 - byteCount) }
    }

    deinit { pointer.deallocate() }
}
