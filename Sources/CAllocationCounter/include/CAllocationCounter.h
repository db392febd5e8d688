#ifndef C_ALLOCATION_COUNTER_H
#define C_ALLOCATION_COUNTER_H

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign, valloc)
/// made so far by the calling thread in a process this library is linked into. The library
/// interposes those functions and forwards to glibc's implementations.
unsigned long long asr_thread_allocation_count(void);

#endif
