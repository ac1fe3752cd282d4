import Directory
import Foundation
import NIOCore
import NIOSSL
@testable import Server

/// A server on loopback with free ports, a scripted directory and a fresh data directory.
struct TestServer {
    let server: LDAPServer
    let listeners: [BoundListener]
    let directory: ScriptedDirectory
    let dataDirectory: String

    /// The bound port of the first listener with `scheme`.
    func port(_ scheme: ServerListener.Scheme, ipv6: Bool = false) -> Int {
        listeners.first { $0.bound.scheme == scheme && $0.bound.host.contains(":") == ipv6 }?.port ?? -1
    }

    var ldapPort: Int { port(.ldap) }
    var ldapsPort: Int { port(.ldaps) }

    /// The self-signed certificate the server generated.
    var certificatePath: String { dataDirectory + "/tls/annuaire.crt" }

    /// Starts a server; TLS defaults to a self-signed pair in a new data directory.
    static func start(
        listeners: [String] = ["ldap://127.0.0.1:0", "ldaps://127.0.0.1:0"],
        tls: TLSSettings? = nil,
        limits: ServerLimits = ServerLimits(),
        shutdownGrace: TimeAmount = .seconds(10),
        dataDirectory: String? = nil,
        directory: ScriptedDirectory = ScriptedDirectory()
    ) async throws -> TestServer {
        let dataDirectory = dataDirectory ?? makeTemporaryDirectory()
        let configuration = ServerConfiguration(
            listeners: try listeners.map { try ServerListener(url: $0) },
            tls: tls ?? TLSSettings(identity: .selfSigned(dataDirectory: dataDirectory)),
            limits: limits,
            readThreadCount: 4,
            eventLoopThreadCount: 1,
            shutdownGrace: shutdownGrace
        )
        let server = LDAPServer(configuration: configuration, directory: directory)
        let bound = try await server.start()
        return TestServer(server: server, listeners: bound, directory: directory, dataDirectory: dataDirectory)
    }

    /// A client TLS context that trusts `caFile` and checks the host name.
    static func clientTLS(trusting caFile: String, certificate: String? = nil, key: String? = nil) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.trustRoots = .file(caFile)
        configuration.certificateVerification = .fullVerification
        if let certificate, let key {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// A new empty directory under the system's temporary directory.
    static func makeTemporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.path + "/annuaire-server-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Whether this machine has the IPv6 loopback address.
    static var hasIPv6Loopback: Bool {
        guard let table = try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8) else { return false }
        return table.contains("00000000000000000000000000000001")
    }
}

/// Runs a command, returning its exit status and output (stdout and stderr together).
@discardableResult
func runCommand(_ path: String, _ arguments: [String], environment: [String: String] = [:], directory: String? = nil)
    throws -> (status: Int32, output: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
