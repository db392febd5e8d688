/// Heap allocations made by this process so far, for `bench`'s allocations-per-chunk figure.
///
/// Returns nil while the executable is not linked with a malloc-counting library; `bench` then
/// reports the figure as not counted (JSON null) instead of guessing.
enum HeapAllocations {
    static func count() -> Int? {
        nil
    }
}
