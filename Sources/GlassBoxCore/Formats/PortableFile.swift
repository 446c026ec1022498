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

    /// Creates `destination` atomically: `write` fills a temporary sibling (a file or a
    /// directory), which is then renamed into place, so a reader never sees half a model and a
    /// failed write leaves nothing behind. An existing destination is replaced only with
    /// `force`, and then only if it is a regular file or a directory that holds an
    /// `encoder.json` (or nothing): `--force` must not wipe an unrelated directory.
    static func replace(_ destination: URL, force: Bool, file: String, write: (URL) throws -> Void) throws {
        let fm = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        let existing = type(atPath: destination.path)
        if let existing {
            guard force else { throw InputError(file: file, message: "already exists; pass --force to replace it") }
            switch existing {
            case .typeRegular, .typeSymbolicLink: break
            case .typeDirectory:
                let contents = (try? fm.contentsOfDirectory(atPath: destination.path)) ?? []
                guard contents.isEmpty || contents.contains(EncoderDirectory.descriptionFile) else {
                    throw InputError(file: file, message: "is a directory that is not an encoder directory (no \(EncoderDirectory.descriptionFile)); refusing to replace it even with --force")
                }
            default: throw InputError(file: file, message: "exists and is not a regular file or directory; refusing to replace it")
            }
        }
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: parent.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(file: file, message: "cannot write: the folder \(parent.path) does not exist")
        }
        let token = UUID().uuidString.prefix(8)
        let temporary = parent.appendingPathComponent(".\(name).glassbox-tmp-\(token)")
        do {
            try write(temporary)
        } catch {
            try? fm.removeItem(at: temporary)
            if let error = error as? InputError { throw error }
            throw InputError(file: file, message: "cannot write: \(error.localizedDescription)")
        }
        func fail(_ what: String) -> InputError {
            InputError(file: file, message: "cannot \(what): \(String(cString: strerror(errno)))")
        }
        if existing == .typeDirectory || (existing != nil && isDirectoryURL(temporary)) {
            // rename(2) cannot replace a non-empty directory (or a file by a directory): move the
            // old one aside first, and put it back if the second rename fails.
            let old = parent.appendingPathComponent(".\(name).glassbox-old-\(token)")
            guard rename(destination.path, old.path) == 0 else { let e = fail("replace it"); try? fm.removeItem(at: temporary); throw e }
            guard rename(temporary.path, destination.path) == 0 else {
                let e = fail("replace it")
                _ = rename(old.path, destination.path)
                try? fm.removeItem(at: temporary)
                throw e
            }
            try? fm.removeItem(at: old)
        } else {
            guard rename(temporary.path, destination.path) == 0 else { let e = fail("move the new file into place"); try? fm.removeItem(at: temporary); throw e }
        }
    }

    private static func isDirectoryURL(_ url: URL) -> Bool {
        type(atPath: url.path) == .typeDirectory
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
