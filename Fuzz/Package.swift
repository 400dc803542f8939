// swift-tools-version: 6.1
// Coverage-guided fuzzers (libFuzzer), a nested package so they never reach library users.
// Run them with scripts/fuzz.sh [seconds] (builds with libFuzzer and AddressSanitizer, seeds
// from corpus/ and the README's queries, runs each fuzzer that long). Without -DFUZZING each
// fuzzer is a plain program replaying the files it is given (a crash input, say).
import PackageDescription

let package = Package(
    name: "FihrisFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Fihris", path: "..")],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzQuery", dependencies: [.product(name: "Fihris", package: "Fihris"), "FuzzSupport"]),
        .executableTarget(name: "FuzzJSONLines", dependencies: [.product(name: "Fihris", package: "Fihris"), "FuzzSupport"]),
        .executableTarget(name: "FuzzPostings", dependencies: [.product(name: "Fihris", package: "Fihris"), "FuzzSupport"]),
        .executableTarget(name: "FuzzIngest", dependencies: [.product(name: "Fihris", package: "Fihris"), "FuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
