import CHDF5

/// What one element of a dataset or attribute is, as far as AnnData files go.
enum HDF5ElementType: Equatable, CustomStringConvertible {
    case float(bytes: Int)
    case integer(bytes: Int, signed: Bool)
    /// numpy's bool, which h5py stores as an enum of int8 (FALSE = 0, TRUE = 1).
    case boolean
    /// Text, of variable length (h5py's `str`) or fixed `size` bytes (numpy's `S`/`U` kinds).
    case string(variable: Bool, size: Int)
    /// A record of named fields: how anndata < 0.7 stored dataframes.
    case compound(fields: [String])
    case other(String)

    init(type: hid_t) {
        let size = Int(H5Tget_size(type))
        switch H5Tget_class(type) {
        case H5T_FLOAT: self = .float(bytes: size)
        case H5T_INTEGER: self = .integer(bytes: size, signed: H5Tget_sign(type) == H5T_SGN_2)
        case H5T_STRING: self = .string(variable: H5Tis_variable_str(type) > 0, size: size)
        case H5T_ENUM:
            let base = H5Tget_super(type)
            defer { if base >= 0 { H5Tclose(base) } }
            self = base >= 0 && H5Tget_class(base) == H5T_INTEGER && H5Tget_nmembers(type) == 2 ? .boolean : .other("an enumeration")
        case H5T_COMPOUND:
            let count = min(Int(H5Tget_nmembers(type)), 4096)
            var fields: [String] = []
            for i in 0..<max(count, 0) {
                if let name = H5Tget_member_name(type, UInt32(i)) {
                    fields.append(String(cString: name))
                    H5free_memory(name)
                }
            }
            self = .compound(fields: fields)
        case H5T_OPAQUE: self = .other("opaque bytes")
        case H5T_REFERENCE: self = .other("object references")
        case H5T_VLEN: self = .other("variable-length sequences")
        case H5T_ARRAY: self = .other("fixed-size arrays")
        case H5T_BITFIELD: self = .other("bit fields")
        case H5T_TIME: self = .other("times")
        default: self = .other("an unknown type")
        }
    }

    var isNumeric: Bool {
        switch self {
        case .float, .integer, .boolean: return true
        default: return false
        }
    }

    var description: String {
        switch self {
        case .float(let b): return "float\(b * 8)"
        case .integer(let b, let signed): return "\(signed ? "" : "u")int\(b * 8)"
        case .boolean: return "booleans"
        case .string(let variable, let size): return variable ? "variable-length text" : "text of \(size) bytes"
        case .compound(let fields): return "records (" + fields.prefix(6).joined(separator: ", ") + (fields.count > 6 ? ", …)" : ")")
        case .other(let s): return s
        }
    }
}
