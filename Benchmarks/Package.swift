// swift-tools-version: 6.0
// The codec benchmarks: a package of their own, so the main package carries no benchmark code.
// Run with `make bench`, i.e. `cd Benchmarks && swift run -c release CodecBenchmarks`.
import PackageDescription

/// SwiftPM names a path dependency after its directory: the main package is whatever the clone is called.
let mainPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "main")

let package = Package(
    name: "AnnuaireBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
    ],
    targets: [
        // Interposes malloc & co. so that the benchmark counts allocations per operation exactly.
        .target(name: "CMallocCounter"),
        .executableTarget(
            name: "CodecBenchmarks",
            dependencies: [
                "CMallocCounter",
                .product(name: "LDAPProtocol", package: mainPackage),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: [
                .enableUpcomingFeature("ExistentialAny"),
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
