#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Zeroed memory for weights that kernels pack at load, carved from 32 MiB slabs.
///
/// A large model streams all its weights from memory every chunk; with 4 KiB pages that is one TLB
/// miss per 4 KiB, with 2 MiB pages one per 2 MiB. The slabs are aligned for huge pages, but a load
/// does not wait for them: each block's pages are populated as 4 KiB pages in one call, and a run
/// of 2 MiB is advised `MADV_HUGEPAGE` once it is filled (`adviseHugePages`), so that the kernel's
/// khugepaged merges it in the background where transparent huge pages are `always` or `madvise`.
/// (Asking for huge pages at the first touch made the 70M model's load wait 5 to 250 ms for 66 MB of
/// them on a VM that hands free memory back to its host; see docs/measurements.md.) A slab is freed
/// when its last block is.
enum WeightMemory {
    private static let slabBytes = 32 << 20
    private static let hugePageBytes = 2 << 20

    private struct Slab {
        let base: UnsafeMutableRawPointer
        let byteCount: Int
        var used: Int
        var liveBlocks: Int
        /// The leading bytes already advised for huge pages.
        var advised = 0
    }

    private static let slabs = Mutex<[Slab]>([])

    /// `byteCount` zeroed bytes, 64-byte aligned and already backed by memory; give them back with
    /// `deallocate`.
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = (Swift.max(byteCount, 1) + 63) & ~63
        let block = carve(size)
        populate(block, byteCount: size)
        return block
    }

    private static func carve(_ size: Int) -> UnsafeMutableRawPointer {
        slabs.withLock { slabs in
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

    /// Advises every slab's filled 2 MiB runs not yet advised for huge pages. Their pages are all
    /// populated, so the advice allocates nothing now; the unfilled tail keeps 4 KiB pages.
    static func adviseHugePages() {
        #if os(Linux)
        slabs.withLock { slabs in
            for index in slabs.indices {
                let filled = slabs[index].used / hugePageBytes * hugePageBytes
                guard filled > slabs[index].advised else { continue }
                _ = madvise(slabs[index].base + slabs[index].advised, filled - slabs[index].advised, MADV_HUGEPAGE)
                slabs[index].advised = filled
            }
        }
        #endif
    }

    /// Backs a block's pages with memory in one call rather than one page fault per 4 KiB page
    /// (`MADV_POPULATE_WRITE`, Linux 5.14; where it is missing, the pages fault in as they are
    /// written). Blocks that share a page populate it twice, which is harmless.
    private static func populate(_ block: UnsafeMutableRawPointer, byteCount: Int) {
        #if os(Linux)
        let populateWrite: Int32 = 23
        let start = Int(bitPattern: block) & ~(smallPageBytes - 1)
        let end = (Int(bitPattern: block) + byteCount + smallPageBytes - 1) & ~(smallPageBytes - 1)
        _ = madvise(UnsafeMutableRawPointer(bitPattern: start), end - start, populateWrite)
        #endif
    }

    private static let smallPageBytes = Swift.max(Int(sysconf(Int32(_SC_PAGESIZE))), 4096)

    /// `byteCount` (a multiple of 2 MiB) of fresh zero pages at a 2 MiB boundary: map 2 MiB more than
    /// needed, then unmap the unaligned head and the tail.
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
        return base
    }
}
