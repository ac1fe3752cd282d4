import Foundation
import Logging
import NIOSSL

/// Turns ``TLSSettings`` into the NIOSSL context shared by `ldaps://` listeners and StartTLS.
enum TLSContextFactory {
    /// The context, or `nil` when TLS is disabled. Generates the self-signed pair when configured so.
    static func makeContext(_ settings: TLSSettings, logger: Logger) throws(ServerStartError) -> NIOSSLContext? {
        let chainPath: String
        let keyPath: String
        switch settings.identity {
        case .disabled:
            return nil
        case .files(let certificateChain, let privateKey):
            chainPath = certificateChain
            keyPath = privateKey
        case .selfSigned(let dataDirectory):
            let pair = try SelfSignedCertificate.loadOrCreate(dataDirectory: dataDirectory)
            if pair.wasCreated {
                logger.notice(
                    "generated a self-signed TLS certificate", metadata: ["certificate": "\(pair.certificatePath)"])
            }
            chainPath = pair.certificatePath
            keyPath = pair.privateKeyPath
        }
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(chainPath)
        } catch {
            throw .tls("cannot read the certificate chain \(chainPath): \(error)")
        }
        guard !chain.isEmpty else { throw .tls("\(chainPath) holds no PEM certificate") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw .tls("cannot read the private key \(keyPath): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        switch settings.clientCertificates {
        case .none:
            configuration.certificateVerification = .none
        case .optional(let caFile):
            try requireReadable(caFile, what: "client CA file")
            configuration.certificateVerification = .optionalVerification
            configuration.trustRoots = .file(caFile)
            configuration.sendCANameList = true
        case .required(let caFile):
            try requireReadable(caFile, what: "client CA file")
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .file(caFile)
            configuration.sendCANameList = true
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tls("cannot use \(chainPath) with \(keyPath): \(error)")
        }
    }

    /// NIOSSL reads trust roots lazily; a missing CA file must stop start-up, not every handshake.
    private static func requireReadable(_ path: String, what: String) throws(ServerStartError) {
        guard FileManager.default.isReadableFile(atPath: path) else { throw .tls("cannot read the \(what) \(path)") }
    }
}
