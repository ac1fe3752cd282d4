import LDAPProtocol
import Logging
import PasswordHashing
import Schema
import Storage

extension DirectoryService {
    /// Whether `identity` may store a `{SCHEME}` value as it is: the root DN always (migrations, restores),
    /// anyone else only with ``PasswordStorage/acceptsPrehashedFromUsers``.
    func mayStorePrehashed(_ identity: BoundIdentity) -> Bool {
        isRoot(identity) || configuration.passwordStorage.acceptsPrehashedFromUsers
    }

    /// Whether `description` names userPassword or a subtype of it.
    func isPasswordAttribute(_ description: AttributeDescription) -> Bool {
        context.attributeType(named: description.type).map(operational.isPassword) ?? false
    }

    /// `entry` with each userPassword value as it will be stored
    /// (``PasswordHasher/stored(_:storage:mayStorePrehashed:)``): hashed, or kept when it is a hash `identity`
    /// may send; constraintViolation otherwise.
    func hashingPasswords(in entry: Entry, by identity: BoundIdentity) throws(OperationError) -> Entry {
        var hashed = entry
        for index in hashed.attributes.indices where isPasswordAttribute(hashed.attributes[index].description) {
            hashed.attributes[index].values = try storedPasswords(hashed.attributes[index].values, by: identity)
        }
        return hashed
    }

    /// `changes` with the values of userPassword adds and replaces as they will be stored (as for Add). Deletes
    /// keep their values: deleting one stored value means naming it as stored, hash included (as slapd).
    func hashingPasswords(
        in changes: [Modification], by identity: BoundIdentity
    ) throws(OperationError) -> [Modification] {
        var hashed = changes
        for index in hashed.indices where isPasswordAttribute(hashed[index].attribute.description) {
            switch hashed[index].operation {
            case .add, .replace:
                hashed[index].attribute.values = try storedPasswords(hashed[index].attribute.values, by: identity)
            default:
                continue
            }
        }
        return hashed
    }

    /// Each of `values` as stored for `identity`.
    private func storedPasswords(_ values: [[UInt8]], by identity: BoundIdentity) throws(OperationError) -> [[UInt8]] {
        let storage = configuration.passwordStorage
        let prehashedAllowed = mayStorePrehashed(identity)
        var stored: [[UInt8]] = []
        for value in values {
            stored.append(try PasswordHasher.stored(value, storage: storage, mayStorePrehashed: prehashedAllowed))
        }
        return stored
    }

    /// The work of a password check when there is nothing to check (unknown name, no stored password, access
    /// refused), so that the answer's delay does not tell (domain.md D8): hashing the offered password with the
    /// configured scheme and costs costs what verifying a stored value of that scheme does; the hash is thrown
    /// away.
    func decoyVerification(_ password: [UInt8]) {
        let storage = configuration.passwordStorage
        _ = try? storage.hasher.hash(password, scheme: storage.scheme)
    }

    /// After a successful bind of `entry` with `password`, which matched its stored value `matched`: when
    /// ``PasswordStorage/rehashOnBind`` is on and `matched` is not in the configured scheme and costs, replaces
    /// that value by a new hash in one store write transaction (the store's writer mutex serialises it with the
    /// writer thread's writes; LMDB has one writer anyway). The write checks that the value is still there
    /// (a concurrent change wins). A failure is logged, never the bind's: the old value still verifies. The
    /// write is server maintenance, not a change by the user: no modifyTimestamp, no audit record.
    func rehashAfterBind(_ entry: Entry, matched: [UInt8], password: [UInt8]) {
        let storage = configuration.passwordStorage
        let hasher = storage.hasher
        guard storage.rehashOnBind, hasher.needsRehash(matched, to: storage.scheme) else { return }
        let from = PasswordHashing.PasswordHasher.scheme(of: matched)?.description ?? "unknown"
        let replacement: [UInt8]
        do {
            replacement = Array(try hasher.hash(password, scheme: storage.scheme).utf8)
        } catch {
            logger.warning("password re-hash of '\(entry.dn)' failed: \(error)")
            return
        }
        let context = context
        let operational = operational
        do {
            try store.modify(dn: entry.dn, validation: .serverWrite) { current in
                for index in current.attributes.indices {
                    guard let type = context.attributeType(named: current.attributes[index].description.type),
                        operational.isPassword(type),
                        let position = current.attributes[index].values.firstIndex(of: matched)
                    else { continue }
                    current.attributes[index].values[position] = replacement
                    return
                }
                throw StoreError(.noSuchAttribute, "the stored password changed since the bind read it")
            }
            logger.info("password of '\(entry.dn)' re-hashed from \(from) to \(storage.scheme) on bind")
        } catch {
            logger.warning("password re-hash of '\(entry.dn)' (from \(from)) not written: \(error.message)")
        }
    }
}
