import AccessControl
import LDAPProtocol
import NIOCore
import Schema
import Storage

extension DirectoryService {
    /// Compare (RFC 4511 §4.10) under the attribute's equality rule, reading the type and its subtypes (with
    /// the asserted options): compareTrue or compareFalse; undefinedAttributeType for an unknown type;
    /// inappropriateMatching for a type without equality rule; noSuchAttribute when the entry has no such
    /// attribute (slapd; RFC 4511 would allow compareFalse); noSuchObject with the matched DN. Computed
    /// attributes (entryDN, hasSubordinates…) compare too. Access control: an entry the client may not disclose
    /// is noSuchObject as if missing; without `compare` on the attribute (on the asserted value, when a value
    /// rule selects the type), insufficientAccessRights (never granted on userPassword but to the root DN, so
    /// that Compare cannot be used to guess passwords).
    func compare(_ compare: CompareRequest, _ request: Request) -> OperationOutcome {
        let dnText = String(buffer: compare.entry)
        do throws(OperationError) {
            let controls = try RequestControls(request.message.controls, for: .compare)
            let dn = try parseDN(compare.entry, "the compare entry")
            let description = AttributeDescription(String(buffer: compare.assertion.attributeDescription))
            guard let type = context.attributeType(named: description.type) else {
                throw OperationError(.undefinedAttributeType, "attribute type '\(description.type)' is not defined")
            }
            guard let rule = type.equality else {
                throw OperationError(.inappropriateMatching, "inappropriate matching request")
            }
            let found = try visibleEntry(dn, subject: subject(of: request.connection))
            let entry = renderer.withComputed(found.entry, children: found.children)
            if let assertion = controls.assertion, !PreparedFilter(assertion, context: context).matches(entry) {
                throw OperationError(.assertionFailed, "the assertion control's filter does not match the entry")
            }
            // Per value when a value rule selects the type: the rule deciding is the one for the asserted value.
            try requireValues(
                .compare, type, [Array(buffer: compare.assertion.assertionValue)], assertion: true, in: found.access,
                "compare '\(description)'")
            let asserted: [UInt8]
            do {
                asserted = try context.normalize(
                    Array(buffer: compare.assertion.assertionValue), rule: rule, of: type, assertion: true)
            } catch {
                throw OperationError(.invalidAttributeSyntax, "the assertion value is invalid for '\(description)'")
            }
            let options = description.options.map { $0.lowercased() }
            var present = false
            var matched = false
            for attribute in entry.attributes {
                guard let attributeType = context.attributeType(named: attribute.description.type),
                    attributeType.isSubtype(of: type.id),
                    options.allSatisfy(attribute.description.options.map { $0.lowercased() }.contains),
                    // A subtype's values answer only if the client may compare them: a Compare on `name` must
                    // not tell what a rule hides of `sn`.
                    attributeType.id == type.id
                        || found.access.allows(
                            .compare, attributeType, value: Array(buffer: compare.assertion.assertionValue),
                            assertion: true)
                else {
                    continue
                }
                present = true
                let valueRule = attributeType.equality ?? rule
                if attribute.values.contains(where: {
                    (try? context.normalize($0, rule: valueRule, of: attributeType)) == asserted
                }) {
                    matched = true
                    break
                }
            }
            guard present else {
                throw OperationError(.noSuchAttribute, "the entry has no attribute '\(description)'")
            }
            let code: ResultCode = matched ? .compareTrue : .compareFalse
            return OperationOutcome(
                response: response(.compare, request, LDAPResult(code)),
                log: AccessLogFields(operation: "CMP", dn: dnText, resultCode: code))
        } catch {
            return failure(.compare, request, dn: dnText, error)
        }
    }
}
