// swift-tools-version:6.1
// libFuzzer targets for glassbox's file readers. A separate package so the main build never
// sees -sanitize=fuzzer; see README.md for the commands.
import PackageDescription

let core: [Target.Dependency] = ["FuzzDriver", .product(name: "GlassBoxCore", package: "glassbox")]

let package = Package(
    name: "glassbox-fuzz",
    platforms: [.macOS(.v13)],
    dependencies: [.package(name: "glassbox", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzCheckpoint", dependencies: core),
        .executableTarget(name: "FuzzSafetensors", dependencies: core),
        .executableTarget(name: "FuzzCSV", dependencies: core),
        .executableTarget(name: "FuzzEncoderDirectory", dependencies: core),
        .executableTarget(name: "FuzzJSON", dependencies: core),
        .target(name: "AnnDataFuzzing", dependencies: [.product(name: "GlassBoxCore", package: "glassbox")]),
        .executableTarget(name: "FuzzAnnData", dependencies: core + ["AnnDataFuzzing"]),
        .executableTarget(name: "FuzzAnnDataValues", dependencies: core + ["AnnDataFuzzing"]),
    ],
    swiftLanguageModes: [.v5]
)
