// swift-tools-version: 6.0
// The store and directory benchmarks: indexed lookup latency of `DirectoryStore.search` on an imported database
// (StoreLookupBenchmark, run by `make bench-import`) and search throughput of `DirectoryService` with the shipped
// access-control policy against access control off (AccessBenchmark, `make bench-access`). A package of its own:
// `Storage` and `Directory` are no products of the main package and use `package`-level API, so this package
// builds the modules itself from the main package's sources through the symlinks in `Sources/` (SwiftPM refuses
// target paths outside the package).
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "AnnuaireDirectoryBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
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
        .target(
            name: "AccessControl",
            dependencies: ["LDAPProtocol", "Schema", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strictSettings
        ),
        .systemLibrary(name: "CArgon2", pkgConfig: "libargon2", providers: [.apt(["libargon2-dev"])]),
        .systemLibrary(name: "CCrypt", pkgConfig: "libcrypt", providers: [.apt(["libcrypt-dev"])]),
        .target(
            name: "PasswordHashing",
            dependencies: [
                "CArgon2", "CCrypt",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        .target(name: "DomainRules", swiftSettings: strictSettings),
        .target(
            name: "Directory",
            dependencies: [
                "LDAPProtocol", "Schema", "Storage", "AccessControl", "PasswordHashing", "DomainRules",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "StoreLookupBenchmark",
            dependencies: ["Storage", "Schema", "LDAPProtocol"],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "AccessBenchmark",
            dependencies: [
                "Directory", "AccessControl", "Storage", "Schema", "LDAPProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
