import CLMDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Growing the memory map.
///
/// `mdb_env_set_mapsize` unmaps and remaps the file: LMDB allows it only when the process has no transaction open
/// (read-only ones included, as their pages would vanish; reset pooled ones hold no pages and are fine) and does not
/// check this itself. Here only the writer grows the map, between two write transactions (it holds the writer
/// mutex), after taking the access gate exclusively so that no read transaction of the process is open.
extension LMDBEnvironment {
    /// Grows the map ahead of need when the used part passes `growthThreshold` and nobody has a transaction open
    /// right now, so that the growth costs no one a wait. Does nothing otherwise. The caller holds the writer mutex.
    func growIfNearlyFull() {
        guard let threshold = configuration.growthThreshold else { return }
        var info = MDB_envinfo()
        guard mdb_env_info(environment, &info) == 0 else { return }
        let used = (info.me_last_pgno + 1) * pageSize
        guard Double(used) >= threshold * Double(info.me_mapsize) else { return }
        guard let target = nextMapSize(after: info.me_mapsize) else { return }
        guard gate.tryEnterExclusive() else { return }
        defer { gate.exitExclusive() }
        try? setMapSize(target)
    }

    /// Grows the map after `error` (`MDB_MAP_FULL`), or throws `error` with the reason it cannot grow. The caller
    /// holds the writer mutex and has no transaction open.
    func growAfterMapFull(_ error: LMDBError) throws {
        let current = Self.mapSize(of: environment)
        guard let target = nextMapSize(after: current) else {
            var capped = error
            capped.detail =
                "the map is at its configured maximum of \(current) bytes (maxMapSize \(configuration.maxMapSize))"
            throw capped
        }
        guard gate.enterExclusive(timeout: configuration.growthTimeout) else {
            var blocked = error
            blocked.detail =
                "could not grow the map from \(current) to \(target) bytes: read transactions stayed open "
                + "longer than growthTimeout (\(configuration.growthTimeout))"
            throw blocked
        }
        defer { gate.exitExclusive() }
        try setMapSize(target)
    }

    /// Adopts the larger map another process committed (`MDB_MAP_RESIZED`): `mdb_env_set_mapsize(0)`.
    func adoptGrownMap(after error: LMDBError) throws {
        guard gate.enterExclusive(timeout: configuration.growthTimeout) else {
            var blocked = error
            blocked.detail = "could not adopt the grown map: transactions stayed open longer than growthTimeout"
            throw blocked
        }
        defer { gate.exitExclusive() }
        try setMapSize(0)
    }

    /// The size after `current`: × `growthFactor`, rounded up to a page, at most `maxMapSize`; `nil` at the limit.
    func nextMapSize(after current: Int) -> Int? {
        let limit = configuration.maxMapSize
        guard current < limit else { return nil }
        let grown = Double(current) * configuration.growthFactor
        let wanted = grown >= Double(limit) ? limit : max(Int(grown), current + pageSize)
        let rounded = (wanted + pageSize - 1) / pageSize * pageSize
        return min(rounded, limit)
    }

    /// Remaps at `size` (the caller holds the gate exclusively). LMDB unmaps first; if mapping again fails the
    /// environment has no map any more, so it is marked failed and every later call throws the error.
    private func setMapSize(_ size: Int) throws {
        let code = mdb_env_set_mapsize(environment, size)
        guard code != 0 else { return }
        let error = LMDBError(code: code, operation: "mdb_env_set_mapsize(\(size))")
        if code != EINVAL {
            stateLock.withLock { fatalFailure = error }
        }
        throw error
    }
}
