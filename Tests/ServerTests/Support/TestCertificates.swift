import Foundation

/// A CA, an intermediate and a server certificate signed through it, plus a client certificate, made with the
/// `openssl` command (the test target does not link swift-certificates).
struct TestCertificates {
    let directory: String
    var caCertificate: String { directory + "/ca.crt" }
    /// Server leaf then intermediate.
    var serverChain: String { directory + "/server-chain.crt" }
    var serverKey: String { directory + "/server.key" }
    var clientCertificate: String { directory + "/client.crt" }
    var clientKey: String { directory + "/client.key" }

    static func make() throws -> TestCertificates {
        let directory = TestServer.makeTemporaryDirectory()
        let script = """
            set -e
            cat > ext.cnf <<'CNF'
            [ca]
            basicConstraints=critical,CA:TRUE
            keyUsage=critical,keyCertSign,cRLSign
            [server]
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=serverAuth
            subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
            [client]
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature
            extendedKeyUsage=clientAuth
            CNF
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.crt \
              -subj /CN=Test-Root -days 2 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout inter.key -out inter.csr -subj /CN=Test-Intermediate 2>/dev/null
            openssl x509 -req -in inter.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out inter.crt -days 2 -extfile ext.cnf -extensions ca 2>/dev/null
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.csr -subj /CN=localhost 2>/dev/null
            openssl x509 -req -in server.csr -CA inter.crt -CAkey inter.key -CAcreateserial -out server.crt -days 2 -extfile ext.cnf -extensions server 2>/dev/null
            cat server.crt inter.crt > server-chain.crt
            openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key -out client.csr -subj /CN=client 2>/dev/null
            openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 -extfile ext.cnf -extensions client 2>/dev/null
            """
        let result = try runCommand("/bin/sh", ["-c", script], directory: directory)
        guard result.status == 0 else { throw CertificateError(output: result.output) }
        return TestCertificates(directory: directory)
    }

    struct CertificateError: Error { let output: String }
}
