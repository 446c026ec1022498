#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CHDF5
import CHDF5Guard

/// An HDF5 file opened read-only through libhdf5. Every failure becomes an `InputError` naming
/// the file and the object path inside it (libhdf5's own error printing is turned off).
final class HDF5File: @unchecked Sendable {
    let id: hid_t
    /// The file as the user named it, for messages.
    let name: String
    /// Its path, for mapping raw data.
    let path: String
    /// Its size in bytes when opened: no object may claim data beyond it.
    let byteCount: Int

    /// HDF5's format signature, found at offset 0 (or 512, 1024, 2048 … after a user block).
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether the file at `path` starts (or, after a user block, continues) with HDF5's signature.
    static func hasSignature(path: String) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 8)
        for offset in [0, 512, 1024, 2048] {
            let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 8, off_t(offset)) }
            if got < 8 { return false }
            if bytes == signature { return true }
        }
        return false
    }

    init(path: String, name: String) throws {
        glassbox_h5_quiet()
        self.path = path
        self.name = name
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw InputError(
                file: name, message: "found no readable file (\(String(cString: strerror(errno)))), expected an AnnData .h5ad file")
        }
        byteCount = Int(info.st_size)
        let fapl = H5Pcreate(glassbox_h5p_file_access())
        defer { H5Pclose(fapl) }
        // Close the file when this object goes, even if an object handle leaked.
        H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG)
        let id = HDF5File.guarded(name, "/") { H5Fopen(path, glassbox_h5f_acc_rdonly(), fapl) }
        guard id >= 0 else {
            throw InputError(
                file: name,
                message: "libhdf5 cannot open it (\(HDF5File.lastError())); expected an intact HDF5 file (a truncated or damaged download?)"
            )
        }
        self.id = id
    }

    deinit {
        glassbox_h5_quiet()
        H5Fclose(id)
    }

    /// Runs libhdf5 work on `object` of file `name` with the fault guard told where it is.
    @inline(__always)
    static func guarded<R>(_ name: String, _ object: String, _ body: () throws -> R) rethrows -> R {
        glassbox_h5_quiet()
        glassbox_guard_install()
        glassbox_guard_enter("\(name):\(object)")
        defer { glassbox_guard_leave() }
        return try body()
    }

    func guarded<R>(_ object: String, _ body: () throws -> R) rethrows -> R {
        try Self.guarded(name, object, body)
    }

    /// The most specific message on this thread's libhdf5 error stack (which is then cleared).
    static func lastError() -> String {
        var text = [CChar](repeating: 0, count: 512)
        glassbox_h5_error_text(&text)
        let s = String(cString: text)
        return s.isEmpty ? "no detail given" : s
    }

    /// An error at `object` (an absolute path inside the file, e.g. `/X/indices[812]`).
    func error(_ object: String, _ message: String) -> InputError {
        InputError(file: name, field: object, message: message)
    }

    /// An error for a libhdf5 call that failed at `object`, with libhdf5's reason.
    func failure(_ object: String, _ what: String) -> InputError {
        error(object, "libhdf5 cannot \(what) (\(HDF5File.lastError())); the file is damaged or not written by anndata")
    }

    /// The root group.
    func root() throws -> HDF5Group {
        glassbox_h5_quiet()
        let gid = guarded("/") { H5Gopen2(id, "/", hid_t(H5P_DEFAULT)) }
        guard gid >= 0 else { throw failure("/", "open the root group") }
        return HDF5Group(file: self, id: gid, path: "/")
    }
}
