#ifndef CMALLOC_COUNTER_H
#define CMALLOC_COUNTER_H

#include <stdint.h>

/// Starts or stops counting (counting is off at start-up).
void cmalloc_counter_set_enabled(int enabled);

/// Resets every counter to zero.
void cmalloc_counter_reset(void);

/// Allocations counted since the last reset: malloc, calloc, posix_memalign, aligned_alloc, memalign,
/// valloc, pvalloc, and realloc (every realloc may move the block, so it counts as one allocation).
uint64_t cmalloc_counter_allocations(void);

/// Of those, how many were reallocs.
uint64_t cmalloc_counter_reallocations(void);

/// Bytes requested by the counted allocations.
uint64_t cmalloc_counter_allocated_bytes(void);

/// free calls with a non-null pointer counted since the last reset.
uint64_t cmalloc_counter_frees(void);

#endif
