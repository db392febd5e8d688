#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped into memory, private and copy-on-write: the model's large weights are read
/// in place from the page cache instead of being copied into the heap. Unmapped when the last
/// tensor viewing it goes away.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    /// Maps `path`; throws the `errno` text when it cannot be opened or mapped.
    init(path: String) throws(MappedFileError) {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw MappedFileError(reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw MappedFileError(reason: String(cString: strerror(errno))) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw MappedFileError(reason: "not a regular file") }
        let count = Int(status.st_size)
        guard count > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        // Writable but private: a kernel that writes into a constant gets its own copy of the page,
        // never a fault and never a change to the file.
        let address = mmap(nil, count, PROT_READ | PROT_WRITE, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else { throw MappedFileError(reason: String(cString: strerror(errno))) }
        bytes = UnsafeRawBufferPointer(start: address, count: count)
    }

    /// Hands the pages wholly inside `range` (a part of `bytes`) back to the page cache, so that they
    /// stop counting in this process's memory once their contents live elsewhere (copied or packed).
    /// Reading them again maps them again from the file, unchanged: nothing writes into the mapping.
    func releasePages(of range: UnsafeRawBufferPointer) {
        guard let base = range.baseAddress else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = (Int(bitPattern: base) + page - 1) / page * page
        let end = (Int(bitPattern: base) + range.count) / page * page
        guard end > start, let address = UnsafeMutableRawPointer(bitPattern: start) else { return }
        madvise(address, end - start, MADV_DONTNEED)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}

struct MappedFileError: Error {
    let reason: String
}
