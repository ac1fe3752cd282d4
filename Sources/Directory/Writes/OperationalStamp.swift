import AccessControl
import Foundation
import LDAPProtocol
import NIOCore
import Schema
import Storage

/// The operational attributes one write sets (RFC 4512 §3.4): its time, its author and, when the schema has
/// `entryCSN`, its change sequence number.
struct OperationalStamp {
    /// `YYYYmmddHHMMSSZ`.
    let timestamp: String
    /// The bound DN; empty for anonymous.
    let author: String
    /// `nil` when the schema has no `entryCSN`.
    let csn: String?

    /// `modifyTimestamp`, `modifiersName` and `entryCSN` as replace modifications (Modify, ModifyDN,
    /// Password Modify), applied in the same transaction as the change itself where the store allows.
    var modifications: [Modification] {
        var result = [
            Modification(.replace, "modifiersName", [author]), Modification(.replace, "modifyTimestamp", [timestamp]),
        ]
        if let csn { result.append(Modification(.replace, "entryCSN", [csn])) }
        return result
    }
}

extension DirectoryService {
    /// The stamp of a write made now by `identity`.
    func stamp(by identity: BoundIdentity) -> OperationalStamp {
        let now = configuration.clock.microsecondsSince1970()
        return OperationalStamp(
            timestamp: GeneralizedTimeFormatter.seconds(now), author: identity.dn?.description ?? "",
            csn: operational.entryCSN == nil ? nil : changeNumbers.next(at: now))
    }

    /// `entry` completed for an Add, in slapd's order: structuralObjectClass, entryUUID (random, version 4;
    /// kept when present), creatorsName, createTimestamp, entryCSN, modifiersName, modifyTimestamp. Attributes
    /// already present are kept.
    func completedForAdd(_ entry: Entry, stamp: OperationalStamp) throws(OperationError) -> Entry {
        // Without a structural class the store's validation refuses the entry, reporting the first problem in
        // the schema's order (a value's syntax before the object classes, as slapd).
        let structural = try? context.structuralObjectClass(of: entry)
        var present = Set<String>()
        for attribute in entry.attributes where attribute.description.options.isEmpty {
            if let oid = context.attributeType(named: attribute.description.type)?.oid { present.insert(oid) }
        }
        var result = entry
        func add(_ name: String, _ oid: String, _ value: String) {
            guard !present.contains(oid), context.attributeType(named: oid) != nil else { return }
            result.attributes.append(EntryAttribute(name, [value]))
        }
        if let structural { add("structuralObjectClass", "2.5.21.9", structural.primaryName) }
        add("entryUUID", "1.3.6.1.1.16.4", UUID().uuidString.lowercased())
        add("creatorsName", "2.5.18.3", stamp.author)
        add("createTimestamp", "2.5.18.1", stamp.timestamp)
        if let csn = stamp.csn { add("entryCSN", "1.3.6.1.4.1.4203.666.1.7", csn) }
        add("modifiersName", "2.5.18.4", stamp.author)
        add("modifyTimestamp", "2.5.18.2", stamp.timestamp)
        return result
    }

    /// The pre-read or post-read response control (RFC 4527) carrying `entry` with the attributes asked for.
    func readEntryControl(
        _ kind: ReadEntryControl.Kind, attributes: [ByteBuffer], entry: Entry, children: Int,
        subject: AccessSubject
    ) -> LDAPControl {
        // RFC 4527 §3.1: only what the client may read; an entry it may not read comes back without attributes.
        let access = policy.access(to: entry, as: subject)
        let requested = access.allows(.read, .entry) ? attributes : [ByteBuffer(string: "1.1")]
        let rendered = renderer.render(
            entry, children: children, selection: AttributeSelection(requested, context: context), typesOnly: false,
            access: access)
        return ReadEntryControl.responseControl(kind: kind, entry: rendered)
    }
}
