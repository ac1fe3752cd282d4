import Crypto
import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The certificate the server uses when none is configured: ECDSA P-256 (accepted by GnuTLS, which Debian's
/// ldap-utils use, and by OpenSSL and BoringSSL), subject CN = the host name, SANs `localhost`, `127.0.0.1`,
/// `::1` and the host name, valid one year, random serial. Kept in `DATA/tls/annuaire.crt` and
/// `DATA/tls/annuaire.key` (mode 0600) so clients can trust it once (`LDAPTLS_CACERT=DATA/tls/annuaire.crt`).
package struct SelfSignedCertificate: Hashable, Sendable {
    /// The PEM certificate.
    package var certificatePath: String
    /// The PEM private key (PKCS #8), mode 0600.
    package var privateKeyPath: String
    /// Whether this call generated the pair (first start, or the previous one had expired).
    package var wasCreated: Bool

    /// How long a generated certificate is valid.
    static let validity: TimeInterval = 365 * 24 * 3600

    /// Returns the pair in `dataDirectory/tls/`, generating it when neither file exists or the certificate has
    /// expired. One file without the other is an error rather than a silent overwrite.
    package static func loadOrCreate(
        dataDirectory: String,
        hostname: String = SelfSignedCertificate.localHostname(),
        now: Date = Date()
    ) throws(ServerStartError) -> SelfSignedCertificate {
        let directory = (dataDirectory.hasSuffix("/") ? dataDirectory : dataDirectory + "/") + "tls"
        let certificatePath = directory + "/annuaire.crt"
        let keyPath = directory + "/annuaire.key"
        let files = FileManager.default
        let haveCertificate = files.fileExists(atPath: certificatePath)
        let haveKey = files.fileExists(atPath: keyPath)
        if haveCertificate != haveKey {
            let (missing, present) = haveCertificate ? (keyPath, certificatePath) : (certificatePath, keyPath)
            throw .tls("\(missing) is missing but \(present) exists; remove both to have a new self-signed pair made")
        }
        if haveCertificate, try !isExpired(certificatePath: certificatePath, now: now) {
            return SelfSignedCertificate(certificatePath: certificatePath, privateKeyPath: keyPath, wasCreated: false)
        }
        do {
            try files.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .tls("cannot create \(directory): \(error)")
        }
        let (certificatePEM, keyPEM) = try generate(hostname: hostname, now: now)
        try writeFile(keyPath, contents: keyPEM, mode: 0o600)
        try writeFile(certificatePath, contents: certificatePEM, mode: 0o644)
        return SelfSignedCertificate(certificatePath: certificatePath, privateKeyPath: keyPath, wasCreated: true)
    }

    /// The machine's host name, `localhost` when it cannot be read.
    package static func localHostname() -> String {
        var bytes = [CChar](repeating: 0, count: 256)
        guard gethostname(&bytes, bytes.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    /// Makes the PEM certificate and key.
    static func generate(hostname: String, now: Date) throws(ServerStartError) -> (certificate: String, key: String) {
        do {
            let key = P256.Signing.PrivateKey()
            let privateKey = Certificate.PrivateKey(key)
            let name = try DistinguishedName { CommonName(hostname) }
            var alternativeNames: [GeneralName] = [
                .dnsName("localhost"),
                .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
                .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
            ]
            if hostname != "localhost", isDNSName(hostname) { alternativeNames.append(.dnsName(hostname)) }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames(alternativeNames)
                SubjectKeyIdentifier(hash: privateKey.publicKey)
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: Certificate.SerialNumber(),
                publicKey: privateKey.publicKey,
                notValidBefore: now.addingTimeInterval(-3600),
                notValidAfter: now.addingTimeInterval(validity),
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: privateKey
            )
            return (try certificate.serializeAsPEM().pemString + "\n", key.pemRepresentation + "\n")
        } catch {
            throw .tls("cannot generate a self-signed certificate: \(error)")
        }
    }

    /// Whether the certificate at `path` is past its end of validity; unreadable is an error naming the file.
    static func isExpired(certificatePath path: String, now: Date) throws(ServerStartError) -> Bool {
        do {
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            let certificate = try Certificate(pemEncoded: pem)
            return certificate.notValidAfter <= now
        } catch {
            throw .tls("cannot read \(path): \(error)")
        }
    }

    /// A host name usable as a dNSName SAN: letters, digits, hyphens and dots.
    static func isDNSName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || byte == 0x2D || byte == 0x2E
        }
    }

    /// Writes through a temporary file created with `mode` from the start (the key is never readable by others,
    /// not even for an instant), then renames it into place.
    static func writeFile(_ path: String, contents: String, mode: mode_t) throws(ServerStartError) {
        let temporary = path + ".tmp"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, mode)
        guard descriptor >= 0 else { throw .tls("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress.map { $0 + written }, bytes.count - written)
            }
            guard result > 0 else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .tls("cannot write \(temporary): \(reason)")
            }
            written += result
        }
        fsync(descriptor)
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            throw .tls("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
