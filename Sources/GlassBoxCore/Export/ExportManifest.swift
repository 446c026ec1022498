#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// What marks a directory as a glassbox export: its `verification.json`, written last, lists
/// every file the export wrote under `"files"`. An export replaces only such a directory (or an
/// empty one) unless forced, and only when it holds nothing else — files a user put there
/// would be lost with the old export.
enum ExportManifest {
    static let file = ExportFile.verification.name
    static let maxBytes = 64 << 20

    /// Throws an `InputError` naming `display` unless `directory` may be replaced by a new
    /// export: missing, empty, or a glassbox export with only its own files — or any directory
    /// with `force`. A path that is not a directory is never replaced.
    static func checkReplaceable(_ directory: URL, force: Bool, display: String) throws {
        var info = stat()
        guard stat(directory.path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return }
            throw InputError(file: display, message: "cannot use as the output directory: \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
            throw InputError(file: display, message: "exists and is not a directory, expected an output directory")
        }
        let entries = try contents(of: directory, display: display)
        guard !entries.isEmpty, !force else { return }
        guard let files = listedFiles(in: directory) else {
            throw InputError(
                file: display,
                message: "is a directory that is not a glassbox export (no \(file) listing its files); "
                    + "refusing to replace it — choose another --out, or pass --force to replace it with everything in it")
        }
        // `.nfsXXXX`: NFS keeps a file deleted while open under such a name until it is closed.
        let foreign = entries.filter { !files.contains($0) && !isLegacyPartial($0, of: files) && !$0.hasPrefix(".nfs") }
        guard foreign.isEmpty else {
            let shown = foreign.prefix(5).map { "'\(DisplaySafe.text($0))'" }.joined(separator: ", ") + (foreign.count > 5 ? ", …" : "")
            throw InputError(
                file: display,
                message: "is a glassbox export that also holds \(shown), which it did not write; refusing to "
                    + "replace it — move \(foreign.count == 1 ? "that" : "those") away, or pass --force to replace the directory with everything in it"
            )
        }
    }

    /// The files `directory`'s manifest lists, or nil when it has none (or an unreadable one).
    static func listedFiles(in directory: URL) -> Set<String>? {
        let url = directory.appendingPathComponent(file)
        guard let data = try? PortableFile.read(url, file: url.path, limit: maxBytes, followSymlink: false),
            let json = try? JSONParser.parse(data), case .array(let items)? = json["files"]
        else { return nil }
        var names = Set<String>()
        for item in items {
            guard case .string(let name) = item else { return nil }
            names.insert(name)
        }
        return names.contains(file) ? names : nil
    }

    private static func contents(of directory: URL, display: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        } catch {
            throw InputError(file: display, message: "cannot list the output directory: \(error.localizedDescription)")
        }
    }

    /// `NAME.partial-HEX`: a file earlier versions wrote in place and an interrupted run left.
    private static func isLegacyPartial(_ entry: String, of files: Set<String>) -> Bool {
        guard let range = entry.range(of: ".partial-", options: .backwards) else { return false }
        let suffix = entry[range.upperBound...]
        return files.contains(String(entry[..<range.lowerBound])) && !suffix.isEmpty && suffix.allSatisfy(\.isHexDigit)
    }
}
