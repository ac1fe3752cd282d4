import LDAPProtocol

/// How ``BulkLoader`` loads.
package struct BulkLoadOptions: Sendable {
    /// Entries per write transaction of the staging database.
    package var batchSize: Int
    /// The `creatorsName`/`modifiersName` of entries that come without.
    package var rootDN: DistinguishedName
    /// The time written as `createTimestamp`/`modifyTimestamp` of entries that come without, in seconds since
    /// 1970-01-01T00:00:00Z (the caller's clock).
    package var now: Int64
    /// Makes the `entryUUID` (text form) of entries that come without: random, version 4, by default.
    package var makeUUID: @Sendable () -> String
    /// Map sizes and file mode of the database; the loader chooses access and durability itself.
    package var environment: LMDBConfiguration

    /// Options; by default batches of 10,000 entries and random UUIDs.
    package init(
        rootDN: DistinguishedName,
        now: Int64,
        batchSize: Int = 10_000,
        environment: LMDBConfiguration = LMDBConfiguration(),
        makeUUID: @escaping @Sendable () -> String = BulkLoadOptions.randomUUID
    ) {
        self.rootDN = rootDN
        self.now = now
        self.batchSize = max(1, batchSize)
        self.environment = environment
        self.makeUUID = makeUUID
    }

    /// A random (version 4) UUID in lower-case text form.
    package static func randomUUID() -> String {
        OperationalAttributeFiller.randomUUID()
    }
}

/// Where a bulk load stands, reported as it goes.
package struct BulkProgress: Sendable {
    /// Entries read and checked so far.
    package var entries: Int
    /// Bytes of the LDIF file read so far.
    package var bytesRead: Int
    /// The LDIF file's size (0 when unknown, e.g. a pipe).
    package var totalBytes: Int
    /// Time since the load began.
    package var elapsed: Duration
}

/// What a bulk load did.
package struct BulkLoadSummary: Sendable {
    /// Entries added.
    package var entries: Int
    /// Seconds from start to the switch to the new database.
    package var seconds: Double

    /// Entries per second (0 for an empty load).
    package var entriesPerSecond: Double {
        seconds > 0 ? Double(entries) / seconds : 0
    }
}
