/// An input the user gave us that cannot be used: a model or data file, a flag's value.
///
/// Its description points at the place — `FILE:LINE:COLUMN: message` for text files,
/// `FILE: field: message` for structured ones, `FILE:/object/path: message` inside HDF5 files — so that a person can act on it.
/// Every command turns it into exit status 2.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// A named place inside a structured file, e.g. `state_dict['encoder.model.0.weight']`.
    public var field: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// Display-safe: names, keys and excerpts from a file may hold terminal escape sequences.
    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        // A field names a key from the file; a message quotes excerpts, but also lists of them:
        // either is cut rather than echo megabytes of a hostile file. An object path inside an
        // HDF5 file follows the file name directly: `pbmc.h5ad:/X/indices[812]`.
        if let field {
            let shown = DisplaySafe.excerpt(field, limit: 240)
            place += field.hasPrefix("/") ? ":\(shown)" : ": \(shown)"
        }
        return DisplaySafe.text("\(place): \(DisplaySafe.excerpt(message, limit: 4000))")
    }
}
