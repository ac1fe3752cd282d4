import Storage

/// The record of the notices sent, so that a rerun sends nothing twice: one key per (entry, its pwdChangedTime,
/// threshold). A password change gives a new pwdChangedTime, hence new keys: a new cycle.
///
/// Kept in an LMDB environment of its own, `DATA/expiry-notices/`, not in the directory: `notify-expiry` reads the
/// directory read-only beside a running server (LMDB's readers need no lock against its writer), and writes only
/// here. Opening it takes its own data-directory lock, so two runs (cron and the server's schedule) never
/// overlap; the second is refused with the first one's pid. Each send is committed as it succeeds, so a run that
/// stops half-way keeps what it did; a failed send is not recorded and is tried again next run.
package final class ExpiryNoticeLedger: Sendable {
    /// The sub-directory of the data directory.
    package static let directoryName = "expiry-notices"
    /// Records older than this are dropped at the end of a run (their cycle is long over).
    package static let retentionMicroseconds: Int64 = 400 * 86_400 * 1_000_000

    private let environment: LMDBEnvironment
    private let sent: LMDBDatabase

    /// Opens (creating) the ledger in `dataDirectory`.
    package init(dataDirectory: String) throws(ExpiryNoticeError) {
        do {
            environment = try LMDBEnvironment(
                directory: dataDirectory + "/" + Self.directoryName,
                configuration: LMDBConfiguration(mapSize: 16 << 20, maxMapSize: 4 << 30, maxDatabases: 4))
            sent = try environment.openDatabase("sent")
        } catch {
            throw .ledger("\(error)")
        }
    }

    /// The key of one notice.
    package static func key(entry: String, changedTime: Int64, thresholdDays: Int) -> [UInt8] {
        Array("\(entry)\t\(changedTime)\t\(thresholdDays)".utf8)
    }

    /// Whether the notice `key` was sent.
    package func contains(_ key: [UInt8]) throws(ExpiryNoticeError) -> Bool {
        do {
            return try environment.read { transaction in try transaction.contains(sent, key: key) }
        } catch {
            throw .ledger("\(error)")
        }
    }

    /// Records the notice `key` as sent at `time` to `address` (committed and flushed before returning).
    package func record(_ key: [UInt8], time: Int64, address: String) throws(ExpiryNoticeError) {
        do {
            try environment.write { transaction in
                try transaction.put(sent, key: key, value: Array("\(time)\t\(address)".utf8))
            }
        } catch {
            throw .ledger("\(error)")
        }
    }

    /// Drops the records sent before `time`; how many.
    @discardableResult
    package func prune(sentBefore time: Int64) throws(ExpiryNoticeError) -> Int {
        do {
            return try environment.write { transaction in
                var stale: [[UInt8]] = []
                try transaction.forEach(in: sent) { record in
                    let text = String(decoding: record.value, as: UTF8.self)
                    if let first = text.split(separator: "\t").first, let sentAt = Int64(first), sentAt < time {
                        stale.append(Array(record.key))
                    }
                    return true
                }
                for key in stale { _ = try transaction.delete(sent, key: key) }
                return stale.count
            }
        } catch {
            throw .ledger("\(error)")
        }
    }

    /// Every record, as `key → value` text (tests and diagnostics).
    package func records() throws(ExpiryNoticeError) -> [String: String] {
        do {
            return try environment.read { transaction in
                var result: [String: String] = [:]
                try transaction.forEach(in: sent) { record in
                    result[String(decoding: record.key, as: UTF8.self)] = String(decoding: record.value, as: UTF8.self)
                    return true
                }
                return result
            }
        } catch {
            throw .ledger("\(error)")
        }
    }
}
