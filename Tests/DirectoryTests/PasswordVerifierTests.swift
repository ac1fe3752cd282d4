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

    @Test("a hashed new password verifies, with a fresh salt each time")
    func hashing() {
        let first = PasswordHasher.ssha(Array("n3w".utf8))
        let second = PasswordHasher.ssha(Array("n3w".utf8))
        #expect(first != second)
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("{SSHA}"))
        #expect(PasswordVerifier().verify(Array("n3w".utf8), against: first))
        #expect(PasswordHasher.ssha(Array("secret".utf8), salt: [1, 2, 3, 4, 5, 6, 7, 8])
            == Array("{SSHA}lHFzXul4wnzRItssVcTnvXWRjNgBAgMEBQYHCA==".utf8))
        #expect(PasswordHasher.generatedPassword().count == 16)
    }
}
