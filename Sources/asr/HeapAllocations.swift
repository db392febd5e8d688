import CAllocationCounter

/// Heap allocations made so far by the calling thread, for `bench`'s allocations-per-chunk figure.
/// `CAllocationCounter` interposes malloc and friends in this executable; `bench` streams on the
/// thread that reads the count, so the figure is the recognizer's own allocations.
enum HeapAllocations {
    static func count() -> Int? {
        Int(asr_thread_allocation_count())
    }
}
