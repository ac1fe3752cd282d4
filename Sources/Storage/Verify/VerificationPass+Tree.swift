import LDAPProtocol
import Schema

extension VerificationPass {
    /// `dn2id`, `parents` and `children` seen from one entry: its DN maps to it, its parent exists and is the one
    /// its DN names, it is among that parent's children, and its parent chain reaches the root.
    mutating func checkTree(
        _ id: EntryID, entry: Entry, dnKey: [UInt8], in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws {
        let dn = entry.dn.description
        let keyText = PrintableKey.text(dnKey)

        // dn2id
        if let mapped = try transaction.view(dn2id, key: dnKey) {
            if let mappedID = EntryID(bytes: mapped) {
                if mappedID == id {
                    matchedDNs += 1
                } else {
                    recorder.record(
                        .dnMismatch, database: dn2id.name, key: keyText, id: id, dn: dn,
                        detail: "the entry's DN maps to \(mappedID), not to the entry")
                }
            }  // A malformed value is reported by the reverse scan, which the count difference triggers.
        } else {
            recorder.record(
                .missingDN, database: dn2id.name, key: keyText, id: id, dn: dn,
                detail: "the entry's normalised DN is not in dn2id")
        }

        // The parent its DN names.
        var expectedParent: EntryID?
        if namingContextKeys.contains(dnKey) {
            expectedParent = .root
        } else if let parentDN = entry.dn.parent(), !parentDN.isRoot {
            if let parentKey = try? keyMaker.key(for: parentDN),
                let bytes = try transaction.view(dn2id, key: parentKey),
                let parent = EntryID(bytes: bytes)
            {
                expectedParent = parent
                if try !transaction.contains(entries, key: parent.bytes) {
                    recorder.record(
                        .orphan, database: entries.name, key: id.description, id: id, dn: dn,
                        detail: "its parent '\(parentDN)' maps to \(parent) in dn2id, which has no entry")
                }
            } else {
                recorder.record(
                    .orphan, database: dn2id.name, key: id.description, id: id, dn: dn,
                    detail: "no entry is named '\(parentDN)', its parent")
            }
        } else {
            recorder.record(
                .orphan, database: entries.name, key: id.description, id: id, dn: dn,
                detail: "its DN is not below a naming context")
        }

        // parents
        let storedParent: EntryID?
        if let bytes = try transaction.view(parents, key: id.bytes) {
            presentParents += 1
            storedParent = EntryID(bytes: bytes)
            if let storedParent {
                if let expectedParent, storedParent != expectedParent {
                    recorder.record(
                        .parentMismatch, database: parents.name, key: id.description, id: id, dn: dn,
                        detail: "parents says \(storedParent); the DN names \(expectedParent)")
                }
            } else {
                recorder.record(
                    .malformedRecord, database: parents.name, key: id.description, id: id, dn: dn,
                    detail: "a parent id is 8 bytes; this value has \(bytes.count)")
            }
        } else {
            storedParent = nil
            recorder.record(
                .missingParentRecord, database: parents.name, key: id.description, id: id, dn: dn,
                detail: "the entry has no parents record")
        }

        // children
        if let parent = storedParent ?? expectedParent {
            if try transaction.contains(children, key: parent.bytes, value: id.bytes) {
                presentChildren += 1
            } else {
                recorder.record(
                    .missingChild, database: children.name, key: parent.description, id: id, dn: dn,
                    detail: "the entry is not among the children of \(parent)")
            }
        }

        // The chain up to the root.
        if let storedParent { try checkChain(id, from: storedParent, dn: dn, in: transaction) }
    }

    /// Walks `parents` up from `parent`; a cycle is reported by the entries on it.
    mutating func checkChain(
        _ id: EntryID, from parent: EntryID, dn: String, in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws {
        var current = parent
        var seen: Set<EntryID> = []
        for _ in 0..<DirectoryTree.maximumDepth {
            if current == .root { return }
            if current == id {
                recorder.record(
                    .cycle, database: parents.name, key: id.description, id: id, dn: dn,
                    detail: "the chain of parents comes back to the entry")
                return
            }
            // A cycle further up, reported by its own entries; a break in the chain, reported by its entry.
            guard seen.insert(current).inserted,
                let bytes = try transaction.view(parents, key: current.bytes), let next = EntryID(bytes: bytes)
            else { return }
            current = next
        }
        recorder.record(
            .cycle, database: parents.name, key: id.description, id: id, dn: dn,
            detail: "the chain of parents does not reach the root in \(DirectoryTree.maximumDepth) steps")
    }

    /// Names the `dn2id`, `parents` and `children` records no entry accounted for, in the databases that have
    /// more records than the entries accounted for.
    mutating func scanTree(in transaction: borrowing some LMDBReadable & ~Copyable) throws {
        if try transaction.statistics(dn2id).entries != matchedDNs {
            try transaction.withCursor(dn2id) { cursor in
                var record = try cursor.first()
                while let current = record {
                    try checkDNRecord(key: current.key, value: current.value, in: transaction)
                    record = try cursor.next()
                }
            }
        }
        if try transaction.statistics(parents).entries != presentParents {
            try transaction.withCursor(parents) { cursor in
                var record = try cursor.first()
                while let current = record {
                    if let id = EntryID(bytes: current.key) {
                        if try !transaction.contains(entries, key: id.bytes) {
                            recorder.record(
                                .danglingParentRecord, database: parents.name, key: id.description, id: id,
                                detail: "a parents record of an id without an entry")
                        }
                    } else {
                        recorder.record(
                            .malformedRecord, database: parents.name, key: PrintableKey.hex(current.key),
                            detail: "an entry id is 8 bytes; this key has \(current.key.count)")
                    }
                    record = try cursor.next()
                }
            }
        }
        if try transaction.statistics(children).entries != presentChildren {
            try transaction.withCursor(children) { cursor in
                var record = try cursor.first()
                while let current = record {
                    try checkChildPair(key: current.key, value: current.value, in: transaction)
                    record = try cursor.next()
                }
            }
        }
    }

    private mutating func checkDNRecord(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws {
        let keyText = PrintableKey.text(key)
        guard let id = EntryID(bytes: value) else {
            recorder.record(
                .malformedRecord, database: dn2id.name, key: keyText,
                detail: "an entry id is 8 bytes; this value has \(value.count)")
            return
        }
        switch try lookup(id, in: transaction) {
        case .missing:
            recorder.record(
                .danglingDN, database: dn2id.name, key: keyText, id: id, detail: "maps to \(id), which has no entry")
        case .undecodable:
            return  // Reported with the entry.
        case .entry(let entry):
            guard let entryKey = try? keyMaker.key(for: entry.dn) else { return }  // Reported with the entry.
            if !entryKey.elementsEqual(key) {
                recorder.record(
                    .dnMismatch, database: dn2id.name, key: keyText, id: id, dn: entry.dn.description,
                    detail: "maps to \(id), whose DN has another key")
            }
        }
    }

    private mutating func checkChildPair(
        key: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer,
        in transaction: borrowing some LMDBReadable & ~Copyable
    ) throws {
        guard let parent = EntryID(bytes: key), let child = EntryID(bytes: value) else {
            recorder.record(
                .malformedRecord, database: children.name, key: PrintableKey.hex(key),
                detail: "parent and child ids are 8 bytes; this pair has \(key.count) and \(value.count)")
            return
        }
        guard try transaction.contains(entries, key: child.bytes) else {
            recorder.record(
                .danglingChild, database: children.name, key: parent.description, id: child,
                detail: "lists \(child), which has no entry")
            return
        }
        // Without a parents record the entry was reported already, and placed by its DN.
        guard let bytes = try transaction.view(parents, key: child.bytes), let recorded = EntryID(bytes: bytes) else {
            return
        }
        if recorded != parent {
            recorder.record(
                .danglingChild, database: children.name, key: parent.description, id: child,
                detail: "lists \(child), whose parent is \(recorded)")
        }
    }
}
