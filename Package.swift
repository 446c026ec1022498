// swift-tools-version:6.1
import PackageDescription

#if os(Linux)
// OpenBLAS on Linux (Debian: libopenblas-dev for cblas.h), opened at run time with dlopen
// (see GlassBoxCore's OpenBLAS); Accelerate on Apple platforms.
let blasSettings: [LinkerSetting] = [.linkedLibrary("dl")]
#else
let blasSettings: [LinkerSetting] = [.linkedFramework("Accelerate")]
#endif
// libhdf5 (Debian: libhdf5-dev, whose serial build is libhdf5_serial on the default library path).
let hdf5Settings: [LinkerSetting] = [
    .linkedLibrary("hdf5_serial", .when(platforms: [.linux])),
    .linkedLibrary("hdf5", .when(platforms: [.macOS])),
]

let package = Package(
    name: "glassbox",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "glassbox", targets: ["glassbox"]),
        .library(name: "GlassBoxCore", targets: ["GlassBoxCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        // `swift package generate-documentation --target GlassBoxCore` (the DocC catalogue).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            path: "Sources/CBLAS",
            pkgConfig: nil,
            providers: [.apt(["libopenblas-dev"])]
        ),
        .systemLibrary(
            name: "CNCursesW",
            path: "Sources/CNCursesW",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .systemLibrary(
            name: "CHDF5",
            path: "Sources/CHDF5",
            providers: [.apt(["libhdf5-dev"]), .brew(["hdf5"])]
        ),
        .target(name: "CHDF5Guard", path: "Sources/CHDF5Guard"),
        // The AVX2 kernel of the feature-set product, chosen at run time (see set_sums.c).
        .target(name: "CSetSums", path: "Sources/CSetSums"),
        // The AVX2 newline count of a CSV's skip to a row, chosen at run time (see line_count.c).
        .target(name: "CLineCount", path: "Sources/CLineCount"),
        .target(
            name: "GlassBoxCore",
            dependencies: [
                .target(name: "CBLAS", condition: .when(platforms: [.linux])),
                "CHDF5",
                "CHDF5Guard",
                "CSetSums",
                "CLineCount",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            linkerSettings: blasSettings + hdf5Settings
        ),
        .target(
            name: "GlassBoxTUI",
            dependencies: [.target(name: "CNCursesW")]
        ),
        .target(
            name: "GlassBoxExplorer",
            dependencies: ["GlassBoxCore", "GlassBoxTUI"]
        ),
        .executableTarget(
            name: "glassbox",
            dependencies: [
                "GlassBoxCore",
                "GlassBoxExplorer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "glassbox-bench",
            dependencies: ["GlassBoxCore", "GlassBoxExplorer", "GlassBoxTUI"],
            path: "Benchmarks/glassbox-bench",
            linkerSettings: blasSettings
        ),
        // Helpers every test target shares (as swift-argument-parser's ArgumentParserTestHelpers).
        .target(
            name: "GlassBoxTestSupport",
            dependencies: ["GlassBoxCore", "GlassBoxTUI"],
            path: "Tests/GlassBoxTestSupport"
        ),
        .testTarget(
            name: "GlassBoxCoreTests",
            dependencies: ["GlassBoxCore", "GlassBoxTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "GlassBoxCLITests",
            dependencies: ["glassbox"]
        ),
        .testTarget(
            name: "GlassBoxTUITests",
            dependencies: ["GlassBoxTUI", "GlassBoxTestSupport"]
        ),
        .testTarget(
            name: "GlassBoxExplorerTests",
            dependencies: ["GlassBoxExplorer", "GlassBoxTUI", "GlassBoxCore", "GlassBoxTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
