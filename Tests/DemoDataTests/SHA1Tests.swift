import Testing

@testable import DemoData

@Suite struct SHA1Tests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// RFC 3174 §7.3 test vectors, plus the empty input.
    @Test(arguments: [
        ("abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
        ("a", 1_000_000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f"),
        (
            "0123456701234567012345670123456701234567012345670123456701234567", 10,
            "dea356a2cddd90c7a7ecedc5ebb563934f460452"
        ),
        ("", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
    ])
    func rfc3174Vectors(input: String, repeats: Int, expected: String) {
        var sha = SHA1()
        let bytes = Array(input.utf8)
        for _ in 0..<repeats {
            sha.update(bytes)
        }
        #expect(hex(sha.finalize()) == expected)
    }

    /// Inputs around the padding boundaries (55, 56, 63, 64, 65 bytes) hash the same fed at once or byte by byte.
    @Test(arguments: [55, 56, 63, 64, 65, 119, 120])
    func boundaryLengthsAreConsistent(length: Int) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        var incremental = SHA1()
        for byte in bytes {
            incremental.update([byte])
        }
        #expect(incremental.finalize() == SHA1.hash(bytes))
    }

    @Test func fiftyFiveAndFiftySixBytesOfA() {
        // Values from `printf 'a%.0s' {1..55} | sha1sum` and the same for 56.
        #expect(hex(SHA1.hash([UInt8](repeating: 97, count: 55))) == "c1c8bbdc22796e28c0e15163d20899b65621d65a")
        #expect(hex(SHA1.hash([UInt8](repeating: 97, count: 56))) == "c2db330f6083854c99d4b5bfb6e8f29f201be699")
    }
}
