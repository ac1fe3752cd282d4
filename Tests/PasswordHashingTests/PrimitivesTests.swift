import Testing

@testable import PasswordHashing

/// The base64 dialects and the constant-time comparison.
@Suite("Primitives")
struct PrimitivesTests {
    @Test("base64 dialects: RFC 4648 vectors, padding rules, strictness")
    func base64() {
        let vectors: [(String, String)] = [
            ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ]
        for (plain, encoded) in vectors {
            #expect(Base64Codec.standard.encode(Array(plain.utf8)) == encoded)
            #expect(Base64Codec.standard.decode(Array(encoded.utf8)) == Array(plain.utf8))
            let unpadded = String(encoded.filter { $0 != "=" })
            #expect(Base64Codec.phc.encode(Array(plain.utf8)) == unpadded)
            #expect(Base64Codec.phc.decode(Array(unpadded.utf8)) == Array(plain.utf8))
            #expect(Base64Codec.standard.decode(Array(unpadded.utf8)) == Array(plain.utf8))
        }
        #expect(Base64Codec.phc.decode(Array("Zg==".utf8)) == nil)
        #expect(Base64Codec.standard.decode(Array("Zh==".utf8)) == nil)  // non-zero trailing bits
        #expect(Base64Codec.standard.decode(Array("Z".utf8)) == nil)
        #expect(Base64Codec.standard.decode(Array("Zg=".utf8)) == nil)
        #expect(Base64Codec.standard.decode(Array("Zm9v\n".utf8)) == nil)
        #expect(Base64Codec.adapted.encode([0xFB, 0xFF]) == "./8")
        #expect(Base64Codec.adapted.decode(Array("./8".utf8)) == [0xFB, 0xFF])
        #expect(Base64Codec.adapted.decode(Array("+/8".utf8)) == nil)
        let all = (0...255).map { UInt8($0) }
        #expect(Base64Codec.adapted.decode(Array(Base64Codec.adapted.encode(all).utf8)) == all)
    }

    @Test("constant-time equality is equality")
    func constantTime() {
        #expect(ConstantTime.equal([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equal([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equal([], [0]))
        #expect(ConstantTime.equal([UInt8](), []))
    }

    @Test("comparison time does not depend on where the first difference is")
    func timing() {
        let secret = [UInt8](repeating: 0x5A, count: 4096)
        var early = secret
        early[0] ^= 1
        var late = secret
        late[4095] ^= 1
        func measure(_ other: [UInt8]) -> Duration {
            let clock = ContinuousClock()
            var fastest = Duration.seconds(1)
            for _ in 0..<200 {
                let elapsed = clock.measure { _ = ConstantTime.equal(secret, other) }
                fastest = min(fastest, elapsed)
            }
            return fastest
        }
        let earlyTime = measure(early)
        let lateTime = measure(late)
        // An early-exit comparison would be ~4096 times faster on `early`; allow generous noise.
        #expect(earlyTime * 4 > lateTime && lateTime * 4 > earlyTime, "\(earlyTime) vs \(lateTime)")
    }
}
