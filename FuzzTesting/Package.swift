// swift-tools-version: 6.0
// libFuzzer harnesses for the LDAPProtocol library. Built apart from the main package because every
// target is compiled with `-sanitize=fuzzer,address`; see the `fuzz` target of the Makefile.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// SwiftPM names a path dependency after its directory: the main package is whatever the clone is called.
let mainPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main")

/// One executable per fuzz target; its `@main` hands the command line to libFuzzer's driver (see CLibFuzzer).
func fuzzTarget(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: [
            "CLibFuzzer",
            .product(name: "LDAPProtocol", package: mainPackage),
            .product(name: "NIOCore", package: "swift-nio"),
        ],
        swiftSettings: strictSettings
    )
}

let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .target(name: "CLibFuzzer"),
        fuzzTarget("FuzzLDAPMessage"),
        fuzzTarget("FuzzDN"),
        fuzzTarget("FuzzFilterString"),
        fuzzTarget("FuzzLDIF"),
    ],
    swiftLanguageModes: [.v6]
)
