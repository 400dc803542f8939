// swift-tools-version: 6.1
// A nested package, so benchmark dependencies never reach users of the Fihris library.
// Run from this folder: swift package benchmark   (release build; first build takes minutes)
import PackageDescription

let package = Package(
    name: "FihrisBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Fihris", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "FihrisBenchmarks",
            dependencies: [
                .product(name: "Fihris", package: "Fihris"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/FihrisBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
