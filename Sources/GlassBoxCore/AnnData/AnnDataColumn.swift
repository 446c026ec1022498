import CHDF5

/// One dataframe column and how anndata stored it.
struct AnnDataColumn {
    enum Kind {
        /// Integers or floats.
        case numbers(HDF5Dataset)
        case booleans(HDF5Dataset)
        case text(HDF5Dataset)
        /// `codes` index `categories`; code −1 is a missing value.
        case categorical(codes: HDF5Dataset, categories: HDF5Dataset)
        /// pandas' nullable integers, booleans and strings: `mask` is true where a value is missing.
        case nullable(values: HDF5Dataset, mask: HDF5Dataset)
    }

    /// What a missing value reads as: a group of its own.
    static let missing = GroupLabels.missing

    let name: String
    let path: String
    let kind: Kind
    let length: Int

    init(object: HDF5Object, frame: AnnDataFrame) throws {
        name = String(object.path.split(separator: "/").last ?? "")
        path = object.path
        let encoding = try AnnDataEncoding.of(object)
        if let dataset = object as? HDF5Dataset {
            try dataset.requireOneDimension()
            try dataset.requireStoredData()
            length = dataset.shape[0]
            if dataset.hasAttribute("categories") {
                // anndata 0.7: codes here, the categories in <frame>/__categories/<name>.
                guard let store = try frame.group.group("__categories"),
                    let categories = try store.dataset(name)
                else {
                    throw object.error(
                        "found codes of a categorical column but no \(frame.path)/__categories/\(name), expected its categories there")
                }
                kind = .categorical(codes: dataset, categories: try Self.checkedCategories(categories))
                return
            }
            if let encoding, !["array", "string-array"].contains(encoding.type) {
                throw object.error(
                    "found encoding-type \(encoding.description), expected a column: 'array', 'string-array', 'categorical' or 'nullable-…'"
                )
            }
            switch dataset.element {
            case .boolean: kind = .booleans(dataset)
            case .float, .integer: kind = .numbers(dataset)
            case .string: kind = .text(dataset)
            default: throw object.error("found \(dataset.element.description), expected numbers, booleans or text")
            }
            return
        }
        let group = object as! HDF5Group
        guard let encoding else {
            throw object.error("found a group without encoding-type, expected a column ('categorical' or 'nullable-…')")
        }
        switch encoding.type {
        case "categorical":
            let codes = try group.requiredDataset("codes", expected: "the categorical's codes")
            let categories = try group.requiredDataset("categories", expected: "the categorical's categories")
            try codes.requireOneDimension()
            guard case .integer = codes.element else { throw codes.error("found \(codes.element.description), expected integer codes") }
            try codes.requireStoredData()
            length = codes.shape[0]
            kind = .categorical(codes: codes, categories: try Self.checkedCategories(categories))
        case "nullable-integer", "nullable-boolean", "nullable-string-array":
            let values = try group.requiredDataset("values", expected: "the column's values")
            let mask = try group.requiredDataset("mask", expected: "which values are missing")
            for d in [values, mask] {
                try d.requireOneDimension()
                try d.requireStoredData()
            }
            guard mask.shape[0] == values.shape[0] else {
                throw mask.error("found \(mask.shape[0]) entries, expected \(values.shape[0]) (one per value)")
            }
            length = values.shape[0]
            kind = .nullable(values: values, mask: mask)
        default:
            throw object.error(
                "found encoding-type \(encoding.description), expected a column: 'array', 'string-array', 'categorical' or 'nullable-…'")
        }
    }

    private static func checkedCategories(_ categories: HDF5Dataset) throws -> HDF5Dataset {
        try categories.requireOneDimension()
        try categories.requireStoredData()
        switch categories.element {
        case .string, .float, .integer, .boolean: return categories
        default: throw categories.error("found \(categories.element.description), expected text or numbers")
        }
    }

    var isBoolean: Bool {
        switch kind {
        case .booleans: return true
        case .nullable(let values, _): return values.element == .boolean
        default: return false
        }
    }

    /// Each row's value as text (missing values as `missing`), e.g. for ids.
    func texts(_ rows: Range<Int>) throws -> [String] {
        switch kind {
        case .numbers(let d), .booleans(let d), .text(let d):
            return try Self.texts(of: d, rows)
        case .categorical(let codes, let categories):
            let names = try Self.texts(of: categories, 0..<categories.shape[0])
            return try Self.checkedCodes(codes, rows, categoryCount: names.count).map { $0 < 0 ? Self.missing : names[Int($0)] }
        case .nullable(let values, let mask):
            let texts = try Self.texts(of: values, rows)
            let missing = try Self.booleans(of: mask, rows)
            return zip(texts, missing).map { $1 ? Self.missing : $0 }
        }
    }

    /// Each row's value as true or false (a `--features` mask); missing values are false.
    func booleans() throws -> [Bool] {
        switch kind {
        case .booleans(let d): return try Self.booleans(of: d, 0..<length)
        case .nullable(let values, let mask) where values.element == .boolean:
            let v = try Self.booleans(of: values, 0..<length), m = try Self.booleans(of: mask, 0..<length)
            return zip(v, m).map { $0 && !$1 }
        default: throw kindFile.error(path, "found \(kindDescription), expected booleans")
        }
    }

    private var kindFile: HDF5File {
        switch kind {
        case .numbers(let d), .booleans(let d), .text(let d): return d.file
        case .categorical(let d, _), .nullable(let d, _): return d.file
        }
    }

    var kindDescription: String {
        switch kind {
        case .numbers(let d): return d.element.description
        case .booleans: return "booleans"
        case .text: return "text"
        case .categorical: return "a categorical"
        case .nullable(let v, _): return "nullable \(v.element.description)"
        }
    }

    /// Codes `rows` of a categorical, checked to lie in −1 ..< categoryCount.
    static func checkedCodes(_ codes: HDF5Dataset, _ rows: Range<Int>, categoryCount: Int) throws -> [Int32] {
        let values = try codes.readInt64(rows)
        var out = [Int32](repeating: 0, count: values.count)
        for (i, c) in values.enumerated() {
            guard c >= -1 && c < Int64(categoryCount) else {
                throw codes.file.error(
                    "\(codes.path)[\(rows.lowerBound + i)]",
                    "found code \(c), expected −1 (missing) to \(categoryCount - 1) (\(categoryCount) categories)")
            }
            out[i] = Int32(c)
        }
        return out
    }

    /// Elements `rows` of a 1-D dataset as text: strings as they are, integers in decimal,
    /// floats as the shortest text that reads back (as pandas writes them), booleans as
    /// True/False, NaN as `missing`.
    static func texts(of d: HDF5Dataset, _ rows: Range<Int>) throws -> [String] {
        switch d.element {
        case .string: return try d.readStrings(rows)
        case .integer(_, let signed):
            if signed { return try d.readInt64(rows).map { String($0) } }
            return try d.read(rows, as: glassbox_h5t_native_uint64(), UInt64(0)).map { String($0) }
        case .float(let bytes) where bytes <= 4:
            return try d.readFloats(rows).map { $0.isNaN ? missing : $0.description }
        case .float:
            return try d.readDoubles(rows).map { $0.isNaN ? missing : $0.description }
        case .boolean:
            return try booleans(of: d, rows).map { $0 ? "True" : "False" }
        default:
            throw d.error("found \(d.element.description), expected text, numbers or booleans")
        }
    }

    static func booleans(of d: HDF5Dataset, _ rows: Range<Int>) throws -> [Bool] {
        switch d.element {
        case .boolean, .integer: return try d.read(rows, as: glassbox_h5t_native_int8(), Int8(0)).map { $0 != 0 }
        default: throw d.error("found \(d.element.description), expected booleans")
        }
    }
}
