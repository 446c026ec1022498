#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File access for the portable formats: bounded reads of regular files only, and atomic
/// replacement on write.
enum PortableFile {
    /// The file's type without following a final symlink, or nil if it does not exist.
    static func type(atPath path: String) -> FileAttributeType? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
    }

    /// Reads a regular file of at most `limit` bytes, memory-mapped.
    ///
    /// Refuses FIFOs and devices (reading one could block or never end) and, unless
    /// `followSymlink`, symbolic links: a downloaded encoder directory must not make us read
    /// files elsewhere on the machine (and echo pieces of them in error messages).
    static func read(_ url: URL, file: String, limit: Int, followSymlink: Bool = true) throws -> Data {
        if !followSymlink, type(atPath: url.path) == .typeSymbolicLink {
            throw InputError(file: file, message: "is a symbolic link; an encoder directory must hold plain files")
        }
        let size = try FileKind.regularFileSize(url.path, file: file, expected: "a file")
        guard size <= Int64(limit) else {
            throw InputError(file: file, message: "is \(size) bytes, more than the \(limit) allowed for this kind of file")
        }
        do {
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            guard data.count <= limit else { throw InputError(file: file, message: "grew past \(limit) bytes while being read") }
            return data
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: file, message: "cannot read the file: \(error.localizedDescription)")
        }
    }

    /// Creates `destination` atomically: `write` fills a staging path beside it (a file, or a
    /// directory it creates), which is then swapped into place (see `StagedOutput`), so a
    /// reader never sees half a model and a failed or killed write leaves nothing behind. An
    /// existing destination is replaced only with `force`, and then only if it is a regular
    /// file or an encoder directory holding nothing but its own files: `--force` must not
    /// wipe an unrelated directory, or files someone put in an encoder directory.
    static func replace(_ destination: URL, force: Bool, file: String, write: (URL) throws -> Void) throws {
        if var existing = type(atPath: destination.path) {
            guard force else { throw InputError(file: file, message: "already exists; pass --force to replace it") }
            // A link's target is what gets replaced (see `StagedOutput`), so it is what is checked.
            let target = existing == .typeSymbolicLink ? destination.resolvingSymlinksInPath() : destination
            if existing == .typeSymbolicLink { existing = type(atPath: target.path) ?? .typeRegular }
            switch existing {
            case .typeRegular: break
            case .typeDirectory: try checkReplaceableEncoderDirectory(target, file: file)
            default: throw InputError(file: file, message: "exists and is not a regular file or directory; refusing to replace it")
            }
        }
        let output = try StagedOutput(destination: destination, kind: .file, display: file)
        do {
            try write(output.staging)
        } catch {
            output.discard()
            if let error = error as? InputError { throw error }
            throw InputError(file: file, message: "cannot write: \(error.localizedDescription)")
        }
        try output.commit()
    }

    /// Throws unless `directory` holds only an encoder directory's files: `encoder.json` and
    /// the tensor CSVs it names (any `.csv` when it cannot be read), or nothing.
    private static func checkReplaceableEncoderDirectory(_ directory: URL, file: String) throws {
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        guard !contents.isEmpty else { return }
        guard contents.contains(EncoderDirectory.descriptionFile) else {
            throw InputError(
                file: file,
                message:
                    "is a directory that is not an encoder directory (no \(EncoderDirectory.descriptionFile)); refusing to replace it even with --force"
            )
        }
        let tensorFiles = EncoderDirectory.tensorFileNames(in: directory)
        let foreign = contents.filter { name in
            name != EncoderDirectory.descriptionFile && !(tensorFiles?.contains(name) ?? name.hasSuffix(".csv"))
        }.sorted()
        guard foreign.isEmpty else {
            let shown = foreign.prefix(5).map { "'\(DisplaySafe.text($0))'" }.joined(separator: ", ") + (foreign.count > 5 ? ", …" : "")
            throw InputError(
                file: file,
                message: "is an encoder directory that also holds \(shown), which is not part of the model; "
                    + "refusing to replace it even with --force — move \(foreign.count == 1 ? "that" : "those") away first")
        }
    }

    /// Writes bytes to a new file, flushed to disk before it is renamed into place.
    static func writeNew(_ bytes: [UInt8], to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw InputError(file: url.path, message: "cannot create the file: \(String(cString: strerror(errno)))")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: bytes)
        try handle.synchronize()
    }
}
