// Debian's liblmdb (liblmdb-dev), seen from Swift as the CLMDB module, plus two small helpers over libc
// types whose members Swift's MemberImportVisibility attributes to whichever module first included the
// header (Glibc or CDispatch, depending on the build): kept in C, the question does not arise.
#ifndef ANNUAIRE_CLMDB_SHIM_H
#define ANNUAIRE_CLMDB_SHIM_H

#include <lmdb.h>
#include <sys/stat.h>
#include <time.h>

/// The size in bytes of the file at `path`, or -1 when it cannot be read.
static inline long long annuaire_file_size(const char *path) {
    struct stat status;
    return stat(path, &status) == 0 ? (long long)status.st_size : -1;
}

/// CLOCK_MONOTONIC now plus the given delay, normalised, for pthread_cond_timedwait on a monotonic condition.
static inline struct timespec annuaire_monotonic_deadline(long long seconds, long long nanoseconds) {
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    long long total = (long long)deadline.tv_nsec + nanoseconds;
    deadline.tv_sec += (time_t)(seconds + total / 1000000000LL);
    deadline.tv_nsec = (long)(total % 1000000000LL);
    return deadline;
}

#endif
