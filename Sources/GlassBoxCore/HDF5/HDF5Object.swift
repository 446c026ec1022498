import CHDF5

/// A group or dataset of an open `HDF5File`, with its attributes. Closed when released.
class HDF5Object: @unchecked Sendable {
    let file: HDF5File
    let id: hid_t
    /// Its absolute path in the file, for messages.
    let path: String

    init(file: HDF5File, id: hid_t, path: String) {
        self.file = file
        self.id = id
        self.path = path
    }

    deinit {
        glassbox_h5_quiet()
        H5Oclose(id)
    }

    func error(_ message: String) -> InputError { file.error(path, message) }

    /// The path of member `name` of this group (or of attribute `name`, written `path@name`).
    func childPath(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    // MARK: Attributes

    func hasAttribute(_ name: String) -> Bool {
        glassbox_h5_quiet()
        let r = H5Aexists(id, name)
        if r < 0 { H5Eclear2(hid_t(H5E_DEFAULT)) }
        return r > 0
    }

    /// Opens attribute `name`, calls `body` with it, its datatype, and its element count.
    private func withAttribute<R>(_ name: String, _ body: (hid_t, hid_t, Int) throws -> R) throws -> R? {
        try file.guarded("\(path)@\(name)") { try withAttributeUnguarded(name, body) }
    }

    private func withAttributeUnguarded<R>(_ name: String, _ body: (hid_t, hid_t, Int) throws -> R) throws -> R? {
        guard hasAttribute(name) else { return nil }
        let place = "\(path)@\(name)"
        let attr = H5Aopen(id, name, hid_t(H5P_DEFAULT))
        guard attr >= 0 else { throw file.failure(place, "open the attribute") }
        defer { H5Aclose(attr) }
        let type = H5Aget_type(attr)
        guard type >= 0 else { throw file.failure(place, "read the attribute's type") }
        defer { H5Tclose(type) }
        let space = H5Aget_space(attr)
        guard space >= 0 else { throw file.failure(place, "read the attribute's shape") }
        defer { H5Sclose(space) }
        let count = Int(H5Sget_simple_extent_npoints(space))
        guard count >= 0, count <= HDF5Limits.attributeElements else {
            throw file.error(place, "found an attribute of \(count) elements, expected at most \(HDF5Limits.attributeElements)")
        }
        return try body(attr, type, count)
    }

    /// A string attribute (scalar, or an array of one), or nil when absent.
    func stringAttribute(_ name: String) throws -> String? {
        guard let list = try stringListAttribute(name) else { return nil }
        guard list.count == 1 else {
            throw file.error("\(path)@\(name)", "found \(list.count) strings, expected one")
        }
        return list[0]
    }

    /// A string or array-of-strings attribute, or nil when absent. An empty array of another
    /// type (as h5py writes an empty list) reads as no strings.
    func stringListAttribute(_ name: String) throws -> [String]? {
        let place = "\(path)@\(name)"
        return try withAttribute(name) { attr, type, count in
            if count == 0 { return [] }
            guard H5Tget_class(type) == H5T_STRING else {
                throw file.error(place, "found \(HDF5ElementType(type: type).description), expected text")
            }
            return try HDF5Strings.read(count: count, fileType: type, place: place, file: file) { memType, buffer in
                H5Aread(attr, memType, buffer)
            }
        }
    }

    /// An integer or integer-array attribute, or nil when absent.
    func integerListAttribute(_ name: String) throws -> [Int]? {
        let place = "\(path)@\(name)"
        return try withAttribute(name) { attr, type, count in
            guard H5Tget_class(type) == H5T_INTEGER else {
                throw file.error(place, "found \(HDF5ElementType(type: type).description), expected integers")
            }
            var values = [Int64](repeating: 0, count: count)
            if count > 0, H5Aread(attr, glassbox_h5t_native_int64(), &values) < 0 {
                throw file.failure(place, "read the attribute")
            }
            return values.map { Int($0) }
        }
    }

    /// A boolean attribute (h5py writes numpy bools as an enum of int8, plain ints also count).
    func booleanAttribute(_ name: String) throws -> Bool? {
        let place = "\(path)@\(name)"
        return try withAttribute(name) { attr, type, count in
            let kind = H5Tget_class(type)
            guard count == 1, kind == H5T_ENUM || kind == H5T_INTEGER else {
                throw file.error(place, "found \(count) × \(HDF5ElementType(type: type).description), expected true or false")
            }
            var value: Int8 = 0
            guard H5Aread(attr, glassbox_h5t_native_int8(), &value) >= 0 else { throw file.failure(place, "read the attribute") }
            return value != 0
        }
    }
}

/// Sizes that no AnnData file needs, refused before anything is allocated for them.
enum HDF5Limits {
    /// Elements of one attribute (`column-order` lists a dataframe's columns).
    static let attributeElements = 1 << 20
    /// Members of one group, and characters of one name.
    static let groupMembers = 1 << 20
    static let nameBytes = 1 << 16
}

/// An HDF5 group: named members, each a group or a dataset.
final class HDF5Group: HDF5Object, @unchecked Sendable {
    /// The members' names, in name order.
    func memberNames() throws -> [String] {
        try file.guarded(path) { try memberNamesUnguarded() }
    }

    private func memberNamesUnguarded() throws -> [String] {
        var info = H5G_info_t()
        guard H5Gget_info(id, &info) >= 0 else { throw file.failure(path, "list the group") }
        guard info.nlinks <= HDF5Limits.groupMembers else {
            throw error("found \(info.nlinks) members, expected at most \(HDF5Limits.groupMembers)")
        }
        var names: [String] = []
        for i in 0..<info.nlinks {
            let length = glassbox_h5_link_name(id, i, nil, 0)
            guard length >= 0, length < HDF5Limits.nameBytes else { throw file.failure(path, "read the name of member \(i)") }
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            guard glassbox_h5_link_name(id, i, &buffer, buffer.count) >= 0 else {
                throw file.failure(path, "read the name of member \(i)")
            }
            names.append(String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    /// Whether this group has a member `name`.
    func contains(_ name: String) -> Bool {
        glassbox_h5_quiet()
        guard !name.isEmpty, !name.contains("/") else { return false }
        let r = H5Lexists(id, name, hid_t(H5P_DEFAULT))
        if r < 0 { H5Eclear2(hid_t(H5E_DEFAULT)) }
        return r > 0
    }

    /// Member `name` (one path component), or nil when there is none. Soft and external links
    /// are refused: an external link would make libhdf5 open another file.
    func member(_ name: String) throws -> HDF5Object? {
        try file.guarded(childPath(name)) { try memberUnguarded(name) }
    }

    private func memberUnguarded(_ name: String) throws -> HDF5Object? {
        guard contains(name) else { return nil }
        let place = childPath(name)
        let hard = glassbox_h5_is_hard_link(id, name)
        guard hard >= 0 else { throw file.failure(place, "read the link") }
        guard hard == 1 else { throw file.error(place, "found a soft or external link, expected a group or dataset stored in this file") }
        let oid = H5Oopen(id, name, hid_t(H5P_DEFAULT))
        guard oid >= 0 else { throw file.failure(place, "open the object") }
        switch H5Iget_type(oid) {
        case H5I_GROUP: return HDF5Group(file: file, id: oid, path: place)
        case H5I_DATASET: return try HDF5Dataset(file: file, datasetID: oid, path: place)
        default:
            H5Oclose(oid)
            throw file.error(place, "found a named datatype, expected a group or dataset")
        }
    }

    /// Member `name`, which must be a group.
    func group(_ name: String) throws -> HDF5Group? {
        guard let object = try member(name) else { return nil }
        guard let group = object as? HDF5Group else {
            throw file.error(childPath(name), "found a dataset, expected a group")
        }
        return group
    }

    /// Member `name`, which must be a dataset.
    func dataset(_ name: String) throws -> HDF5Dataset? {
        guard let object = try member(name) else { return nil }
        guard let dataset = object as? HDF5Dataset else {
            throw file.error(childPath(name), "found a group, expected a dataset")
        }
        return dataset
    }

    /// Member `name`, which must exist and be a dataset.
    func requiredDataset(_ name: String, expected: String) throws -> HDF5Dataset {
        guard let d = try dataset(name) else { throw file.error(childPath(name), "found nothing, expected \(expected)") }
        return d
    }
}
