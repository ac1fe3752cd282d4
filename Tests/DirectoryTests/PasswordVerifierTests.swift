import PasswordHashing
import Testing

@testable import Directory

/// Vectors computed with Python's hashlib: password `secret`, salt 01 02 03 04 05 06 07 08.
@Suite("Password verification")
struct PasswordVerifierTests {
    static let vectors = [
        "{SHA}5en6G6MezRroT3XKqkdPOmY/BfQ=",
        "{SSHA}lHFzXul4wnzRItssVcTnvXWRjNgBAgMEBQYHCA==",
        "{SSHA256}A7N1lAy5bBb4T6qH9e85zAvHBmzNPhRFbZ105DjjWDIBAgMEBQYHCA==",
        "{SSHA512}KO8EsMPQTwZrxxbOkDAOOXEeVCc2grMQg1pnZwZhC1bBQLby8zCmFn7qTZRvoTd+yQdROQQNYHWpTUST4zjTdQECAwQFBgcI",
        "secret",
    ]

    @Test("each scheme verifies the right password and refuses others", arguments: vectors)
    func scheme(_ stored: String) {
        let verifier = PasswordVerifier()
        #expect(verifier.verify(Array("secret".utf8), against: Array(stored.utf8)))
        #expect(!verifier.verify(Array("secreT".utf8), against: Array(stored.utf8)))
        #expect(!verifier.verify([], against: Array(stored.utf8)))
    }

    @Test("lower-case scheme names, unknown schemes and damaged values")
    func edges() {
        let verifier = PasswordVerifier()
        #expect(verifier.verify(Array("secret".utf8), against: Array("{ssha}lHFzXul4wnzRItssVcTnvXWRjNgBAgMEBQYHCA==".utf8)))
        #expect(!verifier.verify(Array("secret".utf8), against: Array("{CRYPT}abcdef".utf8)))
        #expect(!verifier.verify(Array("secret".utf8), against: Array("{SSHA}not base64!".utf8)))
        #expect(!verifier.verify(Array("secret".utf8), against: Array("{SHA}5en6G6MezRroT3XKqkdPOmY/".utf8)))
    }

    @Test("a new password is stored in the configured scheme, with a fresh salt each time")
    func hashing() throws {
        let storage = PasswordStorage()
        let first = try PasswordHasher.stored(Array("n3w".utf8), storage: storage, mayStorePrehashed: false)
        let second = try PasswordHasher.stored(Array("n3w".utf8), storage: storage, mayStorePrehashed: false)
        #expect(first != second)
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("{ARGON2}$argon2id$v=19$m=19456,t=2,p=1$"))
        #expect(PasswordVerifier().verify(Array("n3w".utf8), against: first))
        let ssha = PasswordStorage(scheme: .ssha)
        let legacy = try PasswordHasher.stored(Array("n3w".utf8), storage: ssha, mayStorePrehashed: false)
        #expect(String(decoding: legacy, as: UTF8.self).hasPrefix("{SSHA}"))
        #expect(PasswordVerifier().verify(Array("n3w".utf8), against: legacy))
        #expect(PasswordHasher.generatedPassword().count == 16)
    }
}
