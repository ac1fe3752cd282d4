import LDAPProtocol
import Schema

/// Applies modifications and RDN changes to an entry with the schema's notion of sameness: attribute
/// descriptions are the same when they name the same type (any of its names or its OID) with the same options,
/// and values are the same when equal under the type's equality rule (octet by octet without one).
package struct EntryEditor {
    let context: SchemaContext

    /// Makes an editor comparing with `context`'s matching rules.
    package init(context: SchemaContext) {
        self.context = context
    }

    /// Applies `modifications` in order (RFC 4511 §4.6). Errors: undefinedAttributeType, attributeOrValueExists
    /// (add of a value present), noSuchAttribute (delete of an absent attribute or value, increment of an absent
    /// attribute), invalidAttributeSyntax / constraintViolation (increment of or by a non-integer), protocolError
    /// (add without values, increment without exactly one value).
    package func apply(_ modifications: [Modification], to entry: inout Entry) throws(StoreError) {
        for modification in modifications {
            try apply(modification, to: &entry)
        }
    }

    private func apply(_ modification: Modification, to entry: inout Entry) throws(StoreError) {
        let description = modification.attribute.description
        let name = description.description
        guard let type = context.attributeType(named: description.type) else {
            throw StoreError(.undefinedAttributeType, "attribute type '\(description.type)' is not defined")
        }
        let index = position(of: description, type: type, in: entry)
        let values = modification.attribute.values
        switch modification.operation {
        case .add:
            guard !values.isEmpty else { throw StoreError(.protocolError, "add of '\(name)' without values") }
            var existing = index.map { entry.attributes[$0].values } ?? []
            var seen = Set(existing.map { normalize($0, type) })
            for value in values {
                guard seen.insert(normalize(value, type)).inserted else {
                    throw StoreError(
                        .attributeOrValueExists,
                        "attribute '\(name)' already has the value '\(String(decoding: value, as: UTF8.self))'")
                }
                existing.append(value)
            }
            if let index {
                entry.attributes[index].values = existing
            } else {
                entry.attributes.append(EntryAttribute(description: description, values: existing))
            }
        case .delete:
            guard let index else { throw StoreError(.noSuchAttribute, "the entry has no attribute '\(name)'") }
            if values.isEmpty {
                entry.attributes.remove(at: index)
                return
            }
            var remaining = entry.attributes[index].values
            for value in values {
                let target = normalize(value, type)
                guard let found = remaining.firstIndex(where: { normalize($0, type) == target }) else {
                    throw StoreError(
                        .noSuchAttribute,
                        "attribute '\(name)' has no value '\(String(decoding: value, as: UTF8.self))'")
                }
                remaining.remove(at: found)
            }
            if remaining.isEmpty {
                entry.attributes.remove(at: index)
            } else {
                entry.attributes[index].values = remaining
            }
        case .replace:
            if let index { entry.attributes.remove(at: index) }
            if !values.isEmpty {
                let position = index ?? entry.attributes.count
                entry.attributes.insert(EntryAttribute(description: description, values: values), at: position)
            }
        case .increment:
            guard let index else { throw StoreError(.noSuchAttribute, "the entry has no attribute '\(name)'") }
            guard values.count == 1 else {
                throw StoreError(.protocolError, "increment of '\(name)' needs exactly one value")
            }
            guard let delta = Int(String(decoding: values[0], as: UTF8.self)) else {
                throw StoreError(.invalidAttributeSyntax, "increment of '\(name)' by a value that is not an integer")
            }
            var updated: [[UInt8]] = []
            for value in entry.attributes[index].values {
                guard let current = Int(String(decoding: value, as: UTF8.self)) else {
                    throw StoreError(.constraintViolation, "attribute '\(name)' holds a value that is not an integer")
                }
                let (sum, overflow) = current.addingReportingOverflow(delta)
                guard !overflow else { throw StoreError(.constraintViolation, "increment of '\(name)' overflows") }
                updated.append(Array(String(sum).utf8))
            }
            entry.attributes[index].values = updated
        }
    }

    /// `entry` renamed to `newDN` (its RDN `newRDN`): the values of the new RDN added where missing, and with
    /// `deleteOldRDN` the values of the old RDN that the new one does not repeat removed (RFC 4511 §4.9).
    package func renamed(_ entry: Entry, to newDN: DistinguishedName, deleteOldRDN: Bool) -> Entry {
        var result = entry
        result.dn = newDN
        let newComponents = newDN.rdn?.attributes ?? []
        if deleteOldRDN, let oldRDN = entry.dn.rdn {
            for component in oldRDN.attributes {
                guard let type = context.attributeType(named: component.type) else { continue }
                let value = normalize(Self.value(of: component), type)
                let kept = newComponents.contains { new in
                    context.attributeType(named: new.type)?.id == type.id
                        && normalize(Self.value(of: new), type) == value
                }
                if kept { continue }
                let plain = AttributeDescription(type: component.type)
                guard let index = position(of: plain, type: type, in: result) else { continue }
                result.attributes[index].values.removeAll { normalize($0, type) == value }
                if result.attributes[index].values.isEmpty { result.attributes.remove(at: index) }
            }
        }
        for component in newComponents {
            guard let type = context.attributeType(named: component.type) else { continue }
            let raw = Self.value(of: component)
            let plain = AttributeDescription(type: component.type)
            if let index = position(of: plain, type: type, in: result) {
                let value = normalize(raw, type)
                if !result.attributes[index].values.contains(where: { normalize($0, type) == value }) {
                    result.attributes[index].values.append(raw)
                }
            } else {
                result.attributes.append(EntryAttribute(description: plain, values: [raw]))
            }
        }
        return result
    }

    // MARK: -

    /// The attribute of `entry` with `type` and the options of `description`.
    private func position(of description: AttributeDescription, type: CompiledAttributeType, in entry: Entry) -> Int? {
        let options = Set(description.options.map { $0.lowercased() })
        return entry.attributes.firstIndex { attribute in
            context.attributeType(named: attribute.description.type)?.id == type.id
                && Set(attribute.description.options.map { $0.lowercased() }) == options
        }
    }

    private func normalize(_ value: [UInt8], _ type: CompiledAttributeType) -> [UInt8] {
        guard let rule = type.equality, let normalized = try? context.normalize(value, rule: rule, of: type) else {
            return value
        }
        return normalized
    }

    /// The value an RDN component asserts: the string, or for `#hex` the contents of the BER primitive.
    static func value(of component: AttributeTypeAndValue) -> [UInt8] {
        let bytes = component.value
        guard component.isHexForm, bytes.count >= 2, bytes[1] < 0x80, bytes.count == 2 + Int(bytes[1]) else {
            return bytes
        }
        return Array(bytes[2...])
    }
}
