import Foundation

/// Heap allocations made so far by the calling thread, for `bench`'s allocations-per-chunk figure,
/// when the allocation counter is preloaded (`LD_PRELOAD=.build/release/libAllocationCounter.so`);
/// nil otherwise: the shipped executable does not replace the allocator. `bench` streams on the
/// thread that reads the count, so the figure is the recognizer's own allocations.
enum HeapAllocations {
    private typealias Counter = @convention(c) () -> UInt64

    private static let counter: Counter? = {
        // RTLD_DEFAULT (a null handle): every object loaded in the process, a preloaded one included.
        guard let symbol = dlsym(nil, "asr_thread_allocation_count") else { return nil }
        return unsafeBitCast(symbol, to: Counter.self)
    }()

    static func count() -> Int? {
        counter.map { Int($0()) }
    }
}
