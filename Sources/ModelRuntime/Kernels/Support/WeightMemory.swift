#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Zeroed memory for weights that kernels pack at load, carved from 32 MiB slabs that Linux may back
/// with 2 MiB pages (`MADV_HUGEPAGE`, honoured where transparent huge pages are `always` or
/// `madvise`). A large model streams all its weights from memory every chunk; with 4 KiB pages that
/// is one TLB miss per 4 KiB, with huge pages one per 2 MiB. A slab is freed when its last block is.
enum WeightMemory {
    private static let slabBytes = 32 << 20
    private static let hugePageBytes = 2 << 20

    private struct Slab {
        let base: UnsafeMutableRawPointer
        let byteCount: Int
        var used: Int
        var liveBlocks: Int
    }

    private static let slabs = Mutex<[Slab]>([])

    /// `byteCount` zeroed bytes, 64-byte aligned; give them back with `deallocate`.
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = (Swift.max(byteCount, 1) + 63) & ~63
        return slabs.withLock { slabs in
            if let index = slabs.indices.last, slabs[index].byteCount - slabs[index].used >= size {
                let block = slabs[index].base + slabs[index].used
                slabs[index].used += size
                slabs[index].liveBlocks += 1
                return block
            }
            // Mapped anonymous memory is zero until written, and costs nothing until touched.
            let slabSize = (Swift.max(size, slabBytes) + hugePageBytes - 1) / hugePageBytes * hugePageBytes
            let base = mapAligned(slabSize)
            slabs.append(Slab(base: base, byteCount: slabSize, used: size, liveBlocks: 1))
            return base
        }
    }

    static func deallocate(_ pointer: UnsafeMutableRawPointer) {
        slabs.withLock { slabs in
            guard let index = slabs.firstIndex(where: { pointer >= $0.base && pointer < $0.base + $0.byteCount }) else {
                preconditionFailure("pointer not from WeightMemory")
            }
            slabs[index].liveBlocks -= 1
            if slabs[index].liveBlocks == 0 {
                munmap(slabs[index].base, slabs[index].byteCount)
                slabs.remove(at: index)
            }
        }
    }

    /// `byteCount` (a multiple of 2 MiB) of fresh zero pages at a 2 MiB boundary, as huge pages where
    /// the kernel can: map 2 MiB more than needed, then unmap the unaligned head and the tail.
    private static func mapAligned(_ byteCount: Int) -> UnsafeMutableRawPointer {
        let reserved = byteCount + hugePageBytes
        guard let mapping = mmap(nil, reserved, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              mapping != MAP_FAILED else {
            fatalError("out of memory: \(byteCount) bytes for packed weights")
        }
        let head = (hugePageBytes - Int(bitPattern: mapping) % hugePageBytes) % hugePageBytes
        if head > 0 { munmap(mapping, head) }
        let base = mapping + head
        munmap(base + byteCount, reserved - head - byteCount)
        #if os(Linux)
        _ = madvise(base, byteCount, MADV_HUGEPAGE)
        #endif
        return base
    }
}
