/// Salts and generated secrets from the system's CSPRNG (`SystemRandomNumberGenerator`: getrandom(2) on
/// Linux), never from a seeded generator.
enum SecureRandom {
    /// `count` random bytes.
    static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<max(0, count)).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
