import LDAPProtocol
import NIOCore

/// The messages the workloads decode and encode, built once.
enum Fixtures {
    static let baseDN = "ou=people,dc=dgfip,dc=finances,dc=gouv,dc=fr"
    static let entryDN = "uid=jdupont-xt,ou=people,dc=dgfip,dc=finances,dc=gouv,dc=fr"

    /// `(&(objectClass=inetOrgPerson)(uid=jdupont-xt)(codique=0750001))` as (attribute, value) pairs.
    static let filterTerms: [(String, String)] = [
        ("objectClass", "inetOrgPerson"),
        ("uid", "jdupont-xt"),
        ("codique", "0750001"),
    ]
    static let requestedAttributes = ["cn", "mail", "uid"]

    /// LDAPMessage 2: a subtree SearchRequest with a three-term AND filter and three attributes.
    static let searchRequest = LDAPMessage(
        messageID: 2,
        protocolOp: .searchRequest(
            SearchRequest(
                baseObject: ByteBuffer(string: baseDN),
                scope: .wholeSubtree,
                derefAliases: .neverDerefAliases,
                sizeLimit: 0,
                timeLimit: 0,
                typesOnly: false,
                filter: .and(filterTerms.map { .equalityMatch(AttributeValueAssertion($0.0, $0.1)) }),
                attributes: requestedAttributes.map { ByteBuffer(string: $0) }
            )
        )
    )

    /// A long free-text description, so that the whole entry is about 2.9 KB like a real directory entry.
    static let description: String = {
        let sentences = [
            "Agent affecté au service informatique de la direction régionale des finances publiques "
                + "d'Île-de-France.",
            "Chargé de l'exploitation des annuaires et de la gestion des habilitations applicatives.",
            "Correspondant sécurité des systèmes d'information pour le bureau SI-2B depuis 2019.",
            "Membre du groupe de travail sur la modernisation de l'authentification des agents.",
            "Référent pour les applications de gestion des ressources humaines et de la paie.",
        ]
        var text = ""
        var index = 0
        while text.utf8.count < 2_350 {
            if !text.isEmpty { text += " " }
            text += sentences[index % sentences.count]
            index += 1
        }
        return text
    }()

    /// A person with 15 attribute types (18 values), the kind of entry a search returns.
    static let personAttributes: [(String, [String])] = [
        ("objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson"]),
        ("uid", ["jdupont-xt"]),
        ("cn", ["Jean Dupont"]),
        ("sn", ["Dupont"]),
        ("givenName", ["Jean"]),
        ("displayName", ["Jean Dupont (DGFiP/SI)"]),
        ("mail", ["jean.dupont@dgfip.finances.gouv.fr"]),
        ("telephoneNumber", ["+33 1 53 18 00 00"]),
        ("mobile", ["+33 6 12 34 56 78"]),
        ("codique", ["0750001"]),
        ("population", ["agent"]),
        ("title", ["Inspecteur des finances publiques"]),
        ("postalAddress", ["DGFiP Bureau SI-2B$120 rue de Bercy$75572 Paris Cedex 12"]),
        ("employeeNumber", ["0012345678"]),
        ("description", [description]),
    ]

    /// The entry with every type and value in a ByteBuffer of its own (built from Strings).
    static let searchResultEntry = LDAPMessage(
        messageID: 2,
        protocolOp: .searchResultEntry(
            SearchResultEntry(
                objectName: ByteBuffer(string: entryDN),
                attributes: personAttributes.map { PartialAttribute($0.0, $0.1) }
            )
        )
    )

    /// The same entry whose DN, types and values are slices of one storage buffer, as when an entry
    /// is read from a single stored record.
    static let searchResultEntryFromSlices: LDAPMessage = {
        var storage = ByteBuffer()
        var ranges: [(Int, Int)] = []
        func append(_ text: String) -> Int {
            let start = storage.writerIndex
            let count = storage.writeString(text)
            ranges.append((start, count))
            return ranges.count - 1
        }
        let dnIndex = append(entryDN)
        let layout = personAttributes.map { type, values in (append(type), values.map { append($0) }) }
        func slice(_ index: Int) -> ByteBuffer {
            storage.getSlice(at: ranges[index].0, length: ranges[index].1)!
        }
        return LDAPMessage(
            messageID: 2,
            protocolOp: .searchResultEntry(
                SearchResultEntry(
                    objectName: slice(dnIndex),
                    attributes: layout.map { PartialAttribute(type: slice($0.0), values: $0.1.map(slice)) }
                )
            )
        )
    }()

    /// Encodes a message into a fresh buffer.
    static func encode(_ message: LDAPMessage) -> ByteBuffer {
        var buffer = ByteBuffer()
        message.write(into: &buffer)
        return buffer
    }
}
