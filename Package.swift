// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Fihris",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Fihris", targets: ["Fihris"]),
        .executable(name: "fihris", targets: ["fihris"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // Ingest: EPUB books are ZIP archives; Markdown front matter is YAML.
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // Documentation only: `swift package generate-documentation --target Fihris`.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C layer. LMDB is a plain system library; ICU is reached only through a C shim
        // whose public header exposes no ICU type (see docs/ARCHITECTURE.md).
        .systemLibrary(
            name: "CLMDB",
            pkgConfig: "lmdb",
            providers: [.apt(["liblmdb-dev"])]
        ),
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "CICUShim",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),

        // Storage, codec and analysis layers.
        .target(name: "LMDBStore", dependencies: ["CLMDB"]),
        .target(name: "PostingsCodec"),
        .target(name: "ZstdCodec", dependencies: ["CZstd"]),
        .target(name: "TextAnalysis", dependencies: ["CICUShim"]),
        .target(name: "QueryLanguage"),

        // The product.
        .target(name: "Fihris", dependencies: [
            "LMDBStore", "PostingsCodec", "ZstdCodec", "TextAnalysis", "QueryLanguage", "CLibXML2",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(
            name: "fihris",
            dependencies: ["Fihris", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // The README's embedding example, run by the tests.
        .executableTarget(name: "Embedding", dependencies: ["Fihris"], path: "Examples/Embedding"),

        // Tests.
        .executableTarget(
            name: "LMDBCrashHelper",
            dependencies: ["LMDBStore"],
            path: "Tests/LMDBCrashHelper"
        ),
        .testTarget(name: "LMDBStoreTests", dependencies: ["LMDBStore", "LMDBCrashHelper"]),
        .testTarget(name: "PostingsCodecTests", dependencies: ["PostingsCodec", "ZstdCodec"]),
        .testTarget(name: "TextAnalysisTests", dependencies: ["TextAnalysis"]),
        .testTarget(name: "QueryLanguageTests", dependencies: ["QueryLanguage"]),
        .testTarget(name: "FihrisTests", dependencies: [
            "Fihris", "LMDBStore", "TextAnalysis", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["fihris", "Fihris", "Embedding", "LMDBStore"]),
    ],
    swiftLanguageModes: [.v6]
)
