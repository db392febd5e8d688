import Dispatch
import Foundation

/// glibc keeps what a thread frees in that thread's malloc arena, so a server whose worker threads
/// decoded many streams would keep their peak forever. `malloc_trim` hands free pages of every
/// arena back to the system, and the server's memory returns to its baseline when clients leave.
enum FreedMemory {
    private static let queue = DispatchQueue(label: "asr.serve.trim", qos: .utility)
    /// Not in the Glibc module: looked up once; a C library without it keeps its memory.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim")
        .map { unsafeBitCast($0, to: (@convention(c) (Int) -> Int32).self) }

    /// Trims off the caller's thread (it takes a few milliseconds on a large heap).
    static func returnToSystem() {
        queue.async { _ = mallocTrim?(0) }
    }
}
