// swift-tools-version: 6.0
// The storage benchmarks (indexed lookup latency of `DirectoryStore.search` on an imported database): a package of
// their own beside the codec benchmarks. `Storage` is no product of the main package, and it uses `package`-level
// API of `Schema`, which only a target of the same package may use; so this package builds the four modules itself,
// from the main package's sources through the symlinks in `Sources/` (SwiftPM refuses target paths outside the
// package). Run by `make bench-import` after the import (`Benchmarks/import-vs-slapadd.sh`).
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "AnnuaireStoreBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2")
    ],
    targets: [
        .target(
            name: "LDAPProtocol",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Schema",
            dependencies: ["LDAPProtocol", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .systemLibrary(name: "CLMDB", pkgConfig: "lmdb", providers: [.apt(["liblmdb-dev"])]),
        .target(
            name: "Storage",
            dependencies: ["CLMDB", "Schema", "LDAPProtocol", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "StoreLookupBenchmark",
            dependencies: ["Storage", "Schema", "LDAPProtocol"],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
