import LDAPProtocol
import Schema

/// Writes the directory, or a subtree of it, as LDIF that ``BulkLoader`` loads back into the same tree
/// (docs/operations.md, "export").
///
/// Order: depth first from the base, each entry before its children, siblings in entry-id order (the order they
/// were added, which a load keeps): so the same database always gives the same bytes, and an export loaded into an
/// empty database exports identically. Every attribute as stored — user and operational, descriptions as given,
/// values byte for byte (base64 where LDIF needs it) — after a `version: 1` line; lines folded at 76 columns.
///
/// Works on a read-only environment (beside a running server): everything is read in one read transaction, a
/// consistent snapshot, which the server's writes do not wait for.
package struct DirectoryExporter {
    let environment: LMDBEnvironment
    let entries: LMDBDatabase
    let children: LMDBDatabase
    let dn2id: LMDBDatabase
    let keyMaker: DNKeyMaker

    /// Why an export could not be made.
    package struct Failure: Error, CustomStringConvertible {
        /// What went wrong.
        package var description: String
        /// Whether the cause is the base DN, which names no entry (rather than the storage or the output).
        package var isMissingBase: Bool
    }

    /// An exporter of the store in `environment` (opened read-only or not). Fails when the environment holds no
    /// store.
    package init(environment: LMDBEnvironment, context: SchemaContext) throws {
        self.environment = environment
        let setFlags: LMDBDatabase.Flags = [.duplicateSort, .duplicateFixed]
        do {
            entries = try environment.openDatabase(StoreLayout.entries, flags: [])
            children = try environment.openDatabase(StoreLayout.children, flags: setFlags)
            dn2id = try environment.openDatabase(StoreLayout.dn2id, flags: [])
        } catch let error as LMDBError where error.kind == .notFound {
            throw Failure(description: "\(environment.path) holds no directory (never started or imported?)",
                          isMissingBase: false)
        }
        keyMaker = DNKeyMaker(context: context, maxKeySize: environment.maxKeySize)
    }

    /// Writes the entries at and below `base` (the whole tree for `nil` or the root DN) as LDIF, handing the bytes
    /// to `write` in pieces of about `chunkSize` bytes. Returns the number of entries written.
    @discardableResult
    package func export(
        base: DistinguishedName? = nil,
        chunkSize: Int = 1 << 20,
        write: ([UInt8]) throws -> Void
    ) throws -> Int {
        let baseKey: [UInt8]? = try base.flatMap { $0.isRoot ? nil : try keyMaker.key(for: $0) }
        return try environment.read { transaction in
            let tree = DirectoryTree(dn2id: dn2id, children: children, parents: dn2id)
            var stack: [[EntryID]]
            if let baseKey, let base {
                guard let id = try tree.id(forKey: baseKey, in: transaction) else {
                    throw Failure(description: "no entry named '\(base)'", isMissingBase: true)
                }
                stack = [[id]]
            } else {
                stack = [try tree.children(of: .root, in: transaction).reversed()]
            }
            var writer = LDIFWriter()
            var output: [UInt8] = []
            output.reserveCapacity(chunkSize + 4096)
            var count = 0
            if stack.last?.isEmpty ?? true {
                output += Array("version: 1\n".utf8)
            }
            while !stack.isEmpty {
                guard let id = stack[stack.count - 1].popLast() else {
                    stack.removeLast()
                    continue
                }
                guard let bytes = try transaction.view(entries, key: id.bytes) else {
                    throw Failure(description: "entry \(id) is in the tree but not in the entries", isMissingBase: false)
                }
                let entry: Entry
                do throws(EntryDecodingError) {
                    entry = try EntryCoder.decode(bytes)
                } catch {
                    throw StoreError(error, id: id)
                }
                let record = LDIFEntry(
                    dn: entry.dn.description,
                    attributes: entry.attributes.map {
                        LDIFAttribute(description: $0.description.description, values: $0.values)
                    })
                writer.write(.content(record), into: &output)
                count += 1
                if output.count >= chunkSize {
                    try write(output)
                    output.removeAll(keepingCapacity: true)
                }
                let below = try tree.children(of: id, in: transaction)
                if !below.isEmpty { stack.append(below.reversed()) }
            }
            if !output.isEmpty { try write(output) }
            return count
        }
    }
}
