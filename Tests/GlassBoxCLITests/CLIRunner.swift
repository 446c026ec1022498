import Foundation
import XCTest

/// Runs the built `glassbox` binary as a user would, capturing stdout, stderr and the exit status.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

enum CLI {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The `glassbox` executable next to the test bundle.
    static var binary: URL {
        var dir = Bundle(for: Marker.self).bundleURL
        while !FileManager.default.fileExists(atPath: dir.appendingPathComponent("glassbox").path), dir.path != "/" {
            dir = dir.deletingLastPathComponent()
        }
        return dir.appendingPathComponent("glassbox")
    }

    final class Marker {}

    /// pbmc68k's data repeated `copies` times (ids made unique) as `big.csv` in `directory`.
    static func repeatedSample(copies: Int, in directory: URL) throws -> URL {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("SampleData/pbmc68k/data.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        var big = String(lines[0]) + "\n"
        for copy in 0..<copies {
            for line in lines.dropFirst() { big += "r\(copy)-" + line + "\n" }
        }
        let data = directory.appendingPathComponent("big.csv")
        try Data(big.utf8).write(to: data)
        return data
    }

    @discardableResult
    static func run(_ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:]) throws -> CLIResult {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = cwd ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes concurrently so neither fills up and blocks the child.
        final class Box: @unchecked Sendable { var data = Data() }  // written before `group.leave()`, read after `wait()`
        let errData = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.data = err.fileHandleForReading.readDataToEndOfFile(); group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return CLIResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.data, as: UTF8.self))
    }
}
