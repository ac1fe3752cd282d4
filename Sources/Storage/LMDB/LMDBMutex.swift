import CLMDB

#if canImport(Glibc)
    import Dispatch
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pthread mutex of the error-checking kind: locking it again on the thread that holds it reports `EDEADLK`
/// instead of hanging, so a nested `write` on the same environment fails with a typed error.
///
/// The lock may be held while a synchronous closure runs; it must be released on the thread that took it, which
/// the closure-scoped callers here guarantee.
final class LMDBMutex: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = .allocate(capacity: 1)
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ERRORCHECK))
        pthread_mutex_init(mutex, &attributes)
        pthread_mutexattr_destroy(&attributes)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Takes the lock; returns `0` or the `errno` of the failure (`EDEADLK` when this thread already holds it).
    func lock() -> Int32 { pthread_mutex_lock(mutex) }

    /// Releases the lock taken by this thread.
    func unlock() { pthread_mutex_unlock(mutex) }

    /// Runs `body` with the lock held. Only for short critical sections that cannot re-enter.
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Guards the memory map against being replaced while transactions of this process use it.
///
/// Every transaction (read or write) is a *user* of the map for as long as it is open. Growing the map
/// (`mdb_env_set_mapsize`) unmaps and remaps the file, which LMDB allows only when no transaction of the process is
/// open, so it needs the gate *exclusively*. A pending exclusive request holds back new users (so a busy reader
/// load cannot starve growth), but only for at most the timeout given: then the request gives up.
final class LMDBAccessGate: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>
    private var users = 0
    private var exclusivePending = 0
    private var exclusive = false

    init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        condition = .allocate(capacity: 1)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Becomes a user of the map; waits only while the map is being (or is about to be) replaced.
    func enterShared() {
        pthread_mutex_lock(mutex)
        while exclusive || exclusivePending > 0 {
            pthread_cond_wait(condition, mutex)
        }
        users += 1
        pthread_mutex_unlock(mutex)
    }

    /// Stops being a user of the map.
    func exitShared() {
        pthread_mutex_lock(mutex)
        users -= 1
        if users == 0 { pthread_cond_broadcast(condition) }
        pthread_mutex_unlock(mutex)
    }

    /// Takes the map exclusively if nobody uses it right now; never waits.
    func tryEnterExclusive() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard users == 0, !exclusive else { return false }
        exclusive = true
        return true
    }

    /// Takes the map exclusively, waiting up to `timeout` for current users to leave. New users wait meanwhile.
    func enterExclusive(timeout: Duration) -> Bool {
        let (seconds, attoseconds) = timeout.components
        var deadline = annuaire_monotonic_deadline(seconds, attoseconds / 1_000_000_000)

        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        exclusivePending += 1
        while users > 0 || exclusive {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT { break }
        }
        exclusivePending -= 1
        guard users == 0, !exclusive else {
            pthread_cond_broadcast(condition)
            return false
        }
        exclusive = true
        return true
    }

    /// Gives the map back to users.
    func exitExclusive() {
        pthread_mutex_lock(mutex)
        exclusive = false
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }
}
