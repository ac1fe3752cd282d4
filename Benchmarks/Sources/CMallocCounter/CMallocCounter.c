// Interposes the C allocator so that the benchmark can count allocations exactly.
//
// The executable defines malloc & co.; the dynamic linker binds every library's malloc (libswiftCore,
// Foundation, NIO's storage) to these definitions, which count and then call glibc's own entry points
// (__libc_malloc etc.), so no dlsym bootstrap is needed. Linux/glibc only; elsewhere this file is empty.
#include "CMallocCounter.h"

#if defined(__linux__) && defined(__GLIBC__)
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void __libc_free(void *pointer);
extern void *__libc_memalign(size_t alignment, size_t size);

static int counter_enabled;
static uint64_t counter_allocations;
static uint64_t counter_reallocations;
static uint64_t counter_bytes;
static uint64_t counter_frees;

static inline void count_allocation(size_t size) {
    if (__atomic_load_n(&counter_enabled, __ATOMIC_RELAXED)) {
        __atomic_fetch_add(&counter_allocations, 1, __ATOMIC_RELAXED);
        __atomic_fetch_add(&counter_bytes, (uint64_t)size, __ATOMIC_RELAXED);
    }
}

void *malloc(size_t size) {
    count_allocation(size);
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    count_allocation(count * size);
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    count_allocation(size);
    if (pointer != NULL && __atomic_load_n(&counter_enabled, __ATOMIC_RELAXED)) {
        __atomic_fetch_add(&counter_reallocations, 1, __ATOMIC_RELAXED);
    }
    return __libc_realloc(pointer, size);
}

void free(void *pointer) {
    if (pointer != NULL && __atomic_load_n(&counter_enabled, __ATOMIC_RELAXED)) {
        __atomic_fetch_add(&counter_frees, 1, __ATOMIC_RELAXED);
    }
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    count_allocation(size);
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) {
        return EINVAL;
    }
    count_allocation(size);
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL && size != 0) {
        return ENOMEM;
    }
    *result = pointer;
    return 0;
}

void *valloc(size_t size) {
    count_allocation(size);
    return __libc_memalign((size_t)sysconf(_SC_PAGESIZE), size);
}

void *pvalloc(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t rounded = (size + page - 1) & ~(page - 1);
    count_allocation(rounded);
    return __libc_memalign(page, rounded);
}

void cmalloc_counter_set_enabled(int enabled) { __atomic_store_n(&counter_enabled, enabled != 0, __ATOMIC_RELAXED); }

void cmalloc_counter_reset(void) {
    __atomic_store_n(&counter_allocations, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&counter_reallocations, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&counter_bytes, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&counter_frees, 0, __ATOMIC_RELAXED);
}

uint64_t cmalloc_counter_allocations(void) { return __atomic_load_n(&counter_allocations, __ATOMIC_RELAXED); }
uint64_t cmalloc_counter_reallocations(void) { return __atomic_load_n(&counter_reallocations, __ATOMIC_RELAXED); }
uint64_t cmalloc_counter_allocated_bytes(void) { return __atomic_load_n(&counter_bytes, __ATOMIC_RELAXED); }
uint64_t cmalloc_counter_frees(void) { return __atomic_load_n(&counter_frees, __ATOMIC_RELAXED); }

#else
void cmalloc_counter_set_enabled(int enabled) { (void)enabled; }
void cmalloc_counter_reset(void) {}
uint64_t cmalloc_counter_allocations(void) { return 0; }
uint64_t cmalloc_counter_reallocations(void) { return 0; }
uint64_t cmalloc_counter_allocated_bytes(void) { return 0; }
uint64_t cmalloc_counter_frees(void) { return 0; }
#endif
