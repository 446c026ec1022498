import Foundation

/// A restricted, hand-written unpickler for the `data.pkl` inside a PyTorch checkpoint.
///
/// Why by hand: no Swift library reads pickles, and the format is a small stack machine
/// whose only dangerous parts are GLOBAL/STACK_GLOBAL (import any callable) and
/// REDUCE/NEWOBJ/BUILD (call it). This machine never imports or calls anything: globals
/// outside `PickleGlobal.allowlist` are refused on sight, and allowlisted ones only build
/// plain-data nodes. The input is treated as hostile: every declared length is checked
/// against the bytes that remain before anything is allocated, the stack, memo and MARK depth
/// are bounded, the objects built and the values they hold are budgeted in proportion to the
/// pickle's size (so memory stays a small multiple of the file's), derived bytes have a
/// budget, and the machine is a loop over opcodes (no recursion, so file-controlled nesting
/// cannot exhaust the call stack).
///
/// Supported: PROTO ≤ 5 and the binary opcodes of protocols 1–5 plus the cheap text ones of
/// protocol 0 (INT, LONG, FLOAT, GET, PUT). Refused with a message: text STRING/UNICODE,
/// PERSID, INST/OBJ, EXT*, out-of-band buffers.
struct Unpickler {
    struct Limits: Sendable {
        /// Items on the stack. Python's pickler batches APPENDS/SETITEMS by 1000, so real
        /// files stay far below this.
        var maxStack = 1 << 17
        /// Open MARKs; CPython's pickler recursion limit keeps real files near 1000 at most.
        var maxMarkDepth = 10_000
        var maxMemo = 1 << 20
        /// Containers and objects built; nil means `baseNodes` plus one per 16 bytes of pickle
        /// (at most `1 << 21`). A checkpoint's pickle builds one per 20 bytes or fewer.
        var maxNodes: Int? = nil
        /// Values held in containers and the memo; nil means `baseValues` plus one per 16
        /// bytes of pickle. A checkpoint's pickle holds about one per 8 bytes when tiny (all
        /// within `baseValues`), far fewer when it carries arrays. Each costs memory whatever
        /// it refers to, so `[[]] * N` — two bytes per reference — must not be free.
        var maxValues: Int? = nil
        /// Values in any one container: a checkpoint's largest, its state dict, has a few
        /// thousand; its attributes are capped at 100,000 values when read.
        var maxContainerItems = 1 << 20
        /// Text-opcode line length (GLOBAL names, protocol-0 numbers).
        var maxLine = 4096
        /// Bytes created from other values (e.g. `_codecs.encode` of a latin-1 string);
        /// nil means twice the pickle's size plus 1 MiB.
        var maxDerivedBytes: Int? = nil

        init() {}
    }

    private let bytes: [UInt8]
    private let file: String
    private let field: String
    private let limits: Limits
    private let derivedBudget: Int
    private let nodeBudget: Int
    private let valueBudget: Int
    private var values = 0
    private var pos = 0
    private var opStart = 0
    private var opName = ""
    private var stack: [PickleValue] = []
    /// Stack heights at each open MARK; the top one is a fence that pops may not cross.
    private var marks: [Int] = []
    private var memo: [Int: PickleValue] = [:]
    private var nodes: [PickleNode] = []
    private var derivedBytes = 0

    /// Unpickles `bytes`. Errors are `InputError`s naming `file` and `field` (the entry).
    static func load(_ bytes: [UInt8], file: String, field: String, limits: Limits = Limits()) throws -> PickleGraph {
        var machine = Unpickler(bytes: bytes, file: file, field: field, limits: limits)
        return try machine.run()
    }

    private init(bytes: [UInt8], file: String, field: String, limits: Limits) {
        self.bytes = bytes
        self.file = file
        self.field = field
        self.limits = limits
        let (twice, o1) = bytes.count.multipliedReportingOverflow(by: 2)
        let (budget, o2) = twice.addingReportingOverflow(1 << 20)
        self.derivedBudget = limits.maxDerivedBytes ?? ((o1 || o2) ? Int.max : budget)
        self.nodeBudget = limits.maxNodes ?? min(1 << 21, Self.baseNodes + bytes.count / 16)
        self.valueBudget = limits.maxValues ?? (Self.baseValues + bytes.count / 16)
    }

    static let baseNodes = 1 << 16
    static let baseValues = 1 << 17

    // MARK: - Errors

    private func fail(_ message: String) -> InputError {
        let place = opName.isEmpty ? "at byte \(opStart)" : "at byte \(opStart) (\(opName))"
        return InputError(file: file, field: field, message: "\(place): \(message)")
    }

    // MARK: - Reading the byte stream

    private var remaining: Int { bytes.count - pos }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else {
            throw fail("needs \(n) bytes but only \(remaining) remain (truncated or corrupt pickle)")
        }
        defer { pos += n }
        return bytes[pos..<(pos + n)]
    }

    private mutating func u8() throws -> UInt8 { try take(1).first! }

    private mutating func littleEndian(_ n: Int) throws -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(n).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }

    /// A length field, checked against the bytes left before anyone allocates for it.
    private mutating func length(bytes n: Int) throws -> Int {
        let raw = try littleEndian(n)
        guard raw <= UInt64(remaining) else {
            throw fail("declares a length of \(raw) bytes but only \(remaining) remain")
        }
        return Int(raw)
    }

    private mutating func line() throws -> String {
        let limit = min(remaining, limits.maxLine)
        guard let nl = bytes[pos..<(pos + limit)].firstIndex(of: 0x0A) else {
            throw fail("expected a newline-terminated argument within \(limit) bytes")
        }
        defer { pos = nl + 1 }
        guard let text = String(bytes: bytes[pos..<nl], encoding: .utf8) else {
            throw fail("the argument is not valid UTF-8")
        }
        return text
    }

    private func utf8(_ slice: ArraySlice<UInt8>) throws -> String {
        guard let s = String(bytes: slice, encoding: .utf8) else { throw fail("string is not valid UTF-8") }
        return s
    }

    // MARK: - Stack, memo and arena

    private var fence: Int { marks.last ?? 0 }

    private mutating func push(_ v: PickleValue) throws {
        guard stack.count < limits.maxStack else {
            throw fail("the stack would exceed \(limits.maxStack) items; refusing the file")
        }
        stack.append(v)
    }

    private mutating func pop() throws -> PickleValue {
        guard stack.count > fence else {
            throw fail(
                marks.isEmpty
                    ? "stack underflow: the stack is empty"
                    : "stack underflow: a value would be taken from before the last MARK")
        }
        return stack.removeLast()
    }

    private func top() throws -> PickleValue {
        guard stack.count > fence else {
            throw fail(
                marks.isEmpty
                    ? "stack underflow: the stack is empty"
                    : "stack underflow: no value after the last MARK")
        }
        return stack[stack.count - 1]
    }

    private mutating func popToMark() throws -> [PickleValue] {
        guard let m = marks.popLast() else { throw fail("no MARK to collect items from") }
        let items = Array(stack[m...])
        stack.removeSubrange(m...)
        return items
    }

    private mutating func newNode(_ node: PickleNode) throws -> PickleValue {
        guard nodes.count < nodeBudget else {
            throw fail(
                "the file builds more than \(nodeBudget) objects from \(bytes.count) bytes of pickle, far more than a model file does; refusing it"
            )
        }
        switch node {
        case .tuple(let items), .list(let items), .set(let items): try hold(items.count, inContainerOf: items.count)
        case .dict(let pairs): try hold(2 * pairs.count, inContainerOf: 2 * pairs.count)
        default: break
        }
        nodes.append(node)
        return .ref(nodes.count - 1)
    }

    /// Counts `n` more values held, making a container of `size` values; memory follows the
    /// values held, so they are budgeted in proportion to the input.
    private mutating func hold(_ n: Int, inContainerOf size: Int) throws {
        guard size <= limits.maxContainerItems else {
            throw fail("a container would hold more than \(limits.maxContainerItems) values; a model file has none that large, refusing it")
        }
        values += n
        guard values <= valueBudget else {
            throw fail(
                "the file's containers hold more than \(valueBudget) values for \(bytes.count) bytes of pickle, far more than a model file does; refusing it"
            )
        }
    }

    private mutating func memoPut(_ key: Int) throws {
        let value = try top()
        guard key >= 0 else { throw fail("negative memo key \(key)") }
        if memo[key] == nil {
            guard memo.count < limits.maxMemo else { throw fail("the memo would exceed \(limits.maxMemo) entries; refusing the file") }
            try hold(1, inContainerOf: memo.count + 1)
        }
        memo[key] = value
    }

    private mutating func memoGet(_ key: Int) throws {
        guard let v = memo[key] else { throw fail("memo key \(key) was never stored") }
        try push(v)
    }

    private mutating func charge(_ n: Int) throws {
        let (total, overflow) = derivedBytes.addingReportingOverflow(n)
        guard !overflow, total <= derivedBudget else {
            throw fail("the file derives more than \(derivedBudget) bytes of data; refusing it")
        }
        derivedBytes = total
    }

    private func node(_ v: PickleValue) -> PickleNode? {
        if case .ref(let i) = v { return nodes[i] }
        return nil
    }

    private func kind(_ v: PickleValue) -> String {
        node(v)?.kindName ?? v.scalarKindName
    }

    private func tupleItems(_ v: PickleValue) -> [PickleValue]? {
        if case .tuple(let items)? = node(v) { return items }
        return nil
    }

    private func intItems(_ v: PickleValue, _ what: String) throws -> [Int] {
        let items: [PickleValue]
        switch node(v) {
        case .tuple(let l)?, .list(let l)?: items = l
        default: throw fail("\(what) must be a tuple of integers, found \(kind(v))")
        }
        return try items.map {
            guard case .int(let i) = $0 else { throw fail("\(what) must be a tuple of integers, found a \(kind($0)) in it") }
            return i
        }
    }

    // MARK: - Container mutation
    //
    // The node is swapped out for a placeholder while it grows, so the array inside is
    // uniquely referenced and appends stay O(1) instead of copying the whole container.

    private mutating func extendList(_ target: PickleValue, with items: [PickleValue]) throws {
        guard case .ref(let i) = target, case .list(var list) = nodes[i] else {
            throw fail("items can only be appended to a list, found \(kind(target))")
        }
        try hold(items.count, inContainerOf: list.count + items.count)
        nodes[i] = .tuple([])
        list.append(contentsOf: items)
        nodes[i] = .list(list)
    }

    private mutating func extendSet(_ target: PickleValue, with items: [PickleValue]) throws {
        guard case .ref(let i) = target, case .set(var set) = nodes[i] else {
            throw fail("items can only be added to a set, found \(kind(target))")
        }
        try hold(items.count, inContainerOf: set.count + items.count)
        nodes[i] = .tuple([])
        set.append(contentsOf: items)
        nodes[i] = .set(set)
    }

    private mutating func setItems(_ target: PickleValue, _ flat: [PickleValue]) throws {
        guard flat.count % 2 == 0 else { throw fail("odd number of items (\(flat.count)) for key/value pairs") }
        guard case .ref(let i) = target, case .dict(var pairs) = nodes[i] else {
            throw fail("items can only be set on a dict, found \(kind(target))")
        }
        try hold(flat.count, inContainerOf: 2 * pairs.count + flat.count)
        nodes[i] = .tuple([])
        for j in stride(from: 0, to: flat.count, by: 2) {
            pairs.append((key: flat[j], value: flat[j + 1]))
        }
        nodes[i] = .dict(pairs)
    }

    // MARK: - The machine

    private mutating func run() throws -> PickleGraph {
        while true {
            opStart = pos
            opName = ""
            guard pos < bytes.count else {
                throw fail("the pickle ends without a STOP opcode (truncated file?)")
            }
            let op = bytes[pos]
            pos += 1
            opName = Self.opcodeNames[op] ?? String(format: "opcode 0x%02x", op)
            switch op {
            case 0x80:  // PROTO
                let version = try u8()
                guard version <= 5 else { throw fail("pickle protocol \(version) is newer than 5") }
            case 0x95:  // FRAME: a hint for buffered readers; the whole pickle is in memory.
                _ = try length(bytes: 8)
            case 0x2E:  // STOP
                guard marks.isEmpty else { throw fail("\(marks.count) MARK(s) were never closed") }
                guard stack.count == 1 else {
                    throw fail("the stack holds \(stack.count) values at the end instead of 1")
                }
                return PickleGraph(nodes: nodes, root: stack[0])

            // Stack manipulation
            case 0x28:  // MARK
                guard marks.count < limits.maxMarkDepth else {
                    throw fail("MARKs nested deeper than \(limits.maxMarkDepth); refusing the file")
                }
                marks.append(stack.count)
            case 0x30:  // POP: like Python, popping at a MARK with nothing after it drops the MARK
                if stack.count > fence {
                    stack.removeLast()
                } else if !marks.isEmpty {
                    marks.removeLast()
                } else {
                    throw fail("stack underflow: the stack is empty")
                }
            case 0x31:  // POP_MARK
                _ = try popToMark()
            case 0x32:  // DUP
                try push(try top())

            // Scalars
            case 0x4E: try push(.none)  // NONE
            case 0x88: try push(.bool(true))  // NEWTRUE
            case 0x89: try push(.bool(false))  // NEWFALSE
            case 0x4B: try push(.int(Int(try u8())))  // BININT1
            case 0x4D: try push(.int(Int(try littleEndian(2))))  // BININT2
            case 0x4A:  // BININT: signed 32-bit
                try push(.int(Int(Int32(truncatingIfNeeded: try littleEndian(4)))))
            case 0x8A:  // LONG1
                let n = Int(try u8())
                try push(try longValue(try take(n)))
            case 0x8B:  // LONG4
                let n = Int(Int32(truncatingIfNeeded: try littleEndian(4)))
                guard n >= 0 else { throw fail("negative length \(n)") }
                try push(try longValue(try take(n)))
            case 0x47:  // BINFLOAT: big-endian IEEE double
                var v: UInt64 = 0
                for b in try take(8) { v = v << 8 | UInt64(b) }
                try push(.float(Double(bitPattern: v)))
            case 0x49:  // INT (text); Python 2 spells True/False as I01/I00
                let text = try line()
                switch text {
                case "01": try push(.bool(true))
                case "00": try push(.bool(false))
                default:
                    guard let i = Int(text.trimmingCharacters(in: .whitespaces)) else {
                        throw fail("bad integer \(DisplaySafe.quoted(text))")
                    }
                    try push(.int(i))
                }
            case 0x4C:  // LONG (text)
                var text = try line().trimmingCharacters(in: .whitespaces)
                if text.hasSuffix("L") { text.removeLast() }
                guard let i = Int(text) else { throw fail("integer \(DisplaySafe.quoted(text)) is not a 64-bit integer") }
                try push(.int(i))
            case 0x46:  // FLOAT (text)
                let text = try line()
                guard let d = Double(text.trimmingCharacters(in: .whitespaces)) else { throw fail("bad float \(DisplaySafe.quoted(text))") }
                try push(.float(d))

            // Strings and bytes
            case 0x58: try push(.string(try utf8(try take(try length(bytes: 4)))))  // BINUNICODE
            case 0x8C: try push(.string(try utf8(try take(try length(bytes: 1)))))  // SHORT_BINUNICODE
            case 0x8D: try push(.string(try utf8(try take(try length(bytes: 8)))))  // BINUNICODE8
            case 0x42: try push(.bytes(Array(try take(try length(bytes: 4)))))  // BINBYTES
            case 0x43: try push(.bytes(Array(try take(try length(bytes: 1)))))  // SHORT_BINBYTES
            case 0x8E, 0x96: try push(.bytes(Array(try take(try length(bytes: 8)))))  // BINBYTES8, BYTEARRAY8
            case 0x54, 0x55:  // BINSTRING (signed 32-bit length), SHORT_BINSTRING
                let n = op == 0x55 ? Int(try u8()) : Int(Int32(truncatingIfNeeded: try littleEndian(4)))
                guard n >= 0 else { throw fail("negative length \(n)") }
                // Python 2 `str`: text when it is UTF-8, raw bytes otherwise.
                let raw = try take(n)
                if let s = String(bytes: raw, encoding: .utf8) { try push(.string(s)) } else { try push(.bytes(Array(raw))) }

            // Containers
            case 0x29: try push(try newNode(.tuple([])))  // EMPTY_TUPLE
            case 0x85, 0x86, 0x87:  // TUPLE1, TUPLE2, TUPLE3
                let n = Int(op - 0x84)
                var items = [PickleValue](repeating: .none, count: n)
                for k in stride(from: n - 1, through: 0, by: -1) { items[k] = try pop() }
                try push(try newNode(.tuple(items)))
            case 0x74: try push(try newNode(.tuple(try popToMark())))  // TUPLE
            case 0x5D: try push(try newNode(.list([])))  // EMPTY_LIST
            case 0x6C: try push(try newNode(.list(try popToMark())))  // LIST
            case 0x7D: try push(try newNode(.dict([])))  // EMPTY_DICT
            case 0x64:  // DICT
                let flat = try popToMark()
                let d = try newNode(.dict([]))
                try setItems(d, flat)
                try push(d)
            case 0x8F: try push(try newNode(.set([])))  // EMPTY_SET
            case 0x91: try push(try newNode(.set(try popToMark())))  // FROZENSET
            case 0x61:  // APPEND
                let v = try pop()
                try extendList(try top(), with: [v])
            case 0x65:  // APPENDS
                let items = try popToMark()
                try extendList(try top(), with: items)
            case 0x73:  // SETITEM
                let v = try pop()
                let k = try pop()
                try setItems(try top(), [k, v])
            case 0x75:  // SETITEMS
                let flat = try popToMark()
                try setItems(try top(), flat)
            case 0x90:  // ADDITEMS
                let items = try popToMark()
                try extendSet(try top(), with: items)

            // Memo
            case 0x71: try memoPut(Int(try u8()))  // BINPUT
            case 0x72: try memoPut(Int(try littleEndian(4)))  // LONG_BINPUT
            case 0x94: try memoPut(memo.count)  // MEMOIZE
            case 0x68: try memoGet(Int(try u8()))  // BINGET
            case 0x6A: try memoGet(Int(try littleEndian(4)))  // LONG_BINGET
            case 0x70, 0x67:  // PUT, GET (text)
                let text = try line()
                guard let key = Int(text.trimmingCharacters(in: .whitespaces)) else {
                    throw fail("bad memo key \(DisplaySafe.quoted(text))")
                }
                if op == 0x70 { try memoPut(key) } else { try memoGet(key) }

            // Globals and object construction
            case 0x63:  // GLOBAL
                let module = try line()
                let name = try line()
                try push(try global(module: module, name: name))
            case 0x93:  // STACK_GLOBAL
                let nameValue = try pop()
                let moduleValue = try pop()
                guard case .string(let module) = moduleValue, case .string(let name) = nameValue else {
                    throw fail("STACK_GLOBAL needs two strings, found \(kind(moduleValue)) and \(kind(nameValue))")
                }
                try push(try global(module: module, name: name))
            case 0x52:  // REDUCE
                let args = try pop()
                let callable = try pop()
                try push(try call(callable, args, kwargs: nil))
            case 0x81:  // NEWOBJ
                let args = try pop()
                let cls = try pop()
                try push(try construct(cls, args, kwargs: nil))
            case 0x92:  // NEWOBJ_EX
                let kwargs = try pop()
                let args = try pop()
                let cls = try pop()
                try push(try construct(cls, args, kwargs: kwargs))
            case 0x62:  // BUILD
                let state = try pop()
                try build(try top(), state)
            case 0x51:  // BINPERSID
                let pid = try pop()
                try push(try persistentStorage(pid))

            case 0x53, 0x56, 0x50, 0x69, 0x6F, 0x82, 0x83, 0x84, 0x97, 0x98:
                throw fail("this opcode is not supported in a model file (PyTorch never writes it)")
            default:
                throw fail("unknown opcode; not a pickle, or a corrupt one")
            }
        }
    }

    /// Two's-complement little-endian integer. Wider than 64 bits becomes an approximate
    /// float: such values only occur in attributes (e.g. a huge random seed), never in sizes.
    private func longValue(_ raw: ArraySlice<UInt8>) throws -> PickleValue {
        if raw.isEmpty { return .int(0) }
        if raw.count <= 8 {
            var v: UInt64 = 0
            for (i, b) in raw.enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
            if raw.count < 8, raw.last! & 0x80 != 0 { v |= ~0 << (8 * UInt64(raw.count)) }  // sign-extend
            return .int(Int(Int64(bitPattern: v)))
        }
        guard raw.count <= 128 else { throw fail("integer of \(raw.count) bytes is too large") }
        var magnitude = 0.0
        for b in raw.reversed() { magnitude = magnitude * 256 + Double(b) }
        if raw.last! & 0x80 != 0 { magnitude -= Foundation.pow(256.0, Double(raw.count)) }
        return .float(magnitude)
    }

    // MARK: - Allowlisted objects

    private mutating func global(module: String, name: String) throws -> PickleValue {
        guard let g = PickleGlobal.resolve(module: module, name: name) else {
            throw fail(PickleGlobal.refusal(module: module, name: name))
        }
        return try newNode(.global(g, name: module + "." + name))
    }

    private func calledGlobal(_ v: PickleValue, _ verb: String) throws -> (PickleGlobal, String) {
        guard case .global(let g, let name)? = node(v) else {
            throw fail("\(verb) needs an allowlisted global to call, found \(kind(v))")
        }
        return (g, name)
    }

    private mutating func call(_ callable: PickleValue, _ argsValue: PickleValue, kwargs: PickleValue?) throws -> PickleValue {
        let (g, name) = try calledGlobal(callable, "REDUCE")
        guard let args = tupleItems(argsValue) else {
            throw fail("the arguments of '\(name)' must be a tuple, found \(kind(argsValue))")
        }
        switch g {
        case .orderedDict:
            guard args.isEmpty else { throw fail("OrderedDict(...) with arguments is not supported; expected OrderedDict()") }
            return try newNode(.dict([]))
        case .rebuildTensorV2:
            return try newNode(.tensor(try rebuildTensor(args)))
        case .storageType:
            throw fail("'\(name)' may only appear inside a storage persistent id")
        case .sklearnPCA:
            guard args.isEmpty else { throw fail("PCA(...) with arguments is not supported") }
            return try newNode(.pcaObject(state: nil))
        case .ndarrayReconstruct:
            // numpy writes `_reconstruct(ndarray, (0,), b'b')`; the real shape, dtype and data
            // come with the BUILD that follows.
            guard args.count == 3, case .global(.ndarrayType, _)? = node(args[0]) else {
                throw fail("expected _reconstruct(numpy.ndarray, shape, typecode)")
            }
            return try newNode(.ndarray(nil))
        case .ndarrayType:
            throw fail("'numpy.ndarray' may only be passed to _reconstruct")
        case .numpyDType:
            guard (1...3).contains(args.count), case .string(let code) = args[0] else {
                throw fail("expected numpy.dtype('<code>', align, copy)")
            }
            return try newNode(.dtype(try parseDType(code)))
        case .codecsEncode:
            // numpy's protocol-2 spelling of raw bytes: `_codecs.encode('<latin-1 text>', 'latin1')`.
            guard (2...3).contains(args.count), case .string(let text) = args[0], case .string(let encoding) = args[1],
                ["latin1", "latin-1", "iso-8859-1", "iso8859-1", "l1"].contains(encoding.lowercased())
            else {
                throw fail("only _codecs.encode(<str>, 'latin1') is supported")
            }
            if args.count == 3, args[2] != .string("strict") { throw fail("only the 'strict' error mode is supported") }
            return .bytes(try latin1(text))
        case .numpyScalar:
            guard args.count == 2, case .dtype(let dtype)? = node(args[0]) else {
                throw fail("expected scalar(dtype, raw bytes)")
            }
            let raw: [UInt8]
            switch args[1] {
            case .bytes(let b): raw = b
            case .string(let s): raw = try latin1(s)
            default: throw fail("a numpy scalar of \(kind(args[1])) is not plain data")
            }
            guard dtype.structured || raw.count == dtype.itemSize else {
                throw fail("numpy scalar of dtype \(dtype.description) has \(raw.count) bytes")
            }
            return try newNode(.numpyScalar(dtype, raw))
        case .path(let flavor):
            var parts: [String] = []
            for a in args {
                guard case .string(let s) = a else { throw fail("path parts must be strings, found \(kind(a))") }
                parts.append(s)
            }
            return try newNode(.path(Self.joinPath(parts, flavor)))
        }
    }

    private mutating func construct(_ cls: PickleValue, _ argsValue: PickleValue, kwargs: PickleValue?) throws -> PickleValue {
        let (g, name) = try calledGlobal(cls, "NEWOBJ")
        guard g == .sklearnPCA else { throw fail("creating '\(name)' with NEWOBJ is not supported") }
        guard let args = tupleItems(argsValue), args.isEmpty else { throw fail("PCA.__new__ takes no arguments") }
        if let kwargs {
            guard case .dict(let pairs)? = node(kwargs), pairs.isEmpty else { throw fail("PCA.__new__ takes no keyword arguments") }
        }
        return try newNode(.pcaObject(state: nil))
    }

    private mutating func build(_ target: PickleValue, _ state: PickleValue) throws {
        guard case .ref(let i) = target else { throw fail("BUILD on a \(kind(target)) is not allowed") }
        switch nodes[i] {
        case .pcaObject:
            guard case .dict? = node(state) else { throw fail("the state of a PCA must be a dict, found \(kind(state))") }
            nodes[i] = .pcaObject(state: state)
        case .ndarray:
            nodes[i] = .ndarray(try ndarrayState(state))
        case .dtype(var dtype):
            // (version, byteorder, subarray, names, fields, elsize, alignment, flags[, metadata])
            guard let items = tupleItems(state), items.count >= 2, case .string(let order) = items[1],
                order.count == 1, let c = order.first, "<>|=".contains(c)
            else {
                throw fail("unexpected numpy dtype state")
            }
            dtype.byteOrder = c
            if items.count > 3, items[2] != .none || items[3] != .none { dtype.structured = true }
            nodes[i] = .dtype(dtype)
        case .dict:
            // torch sets `_metadata` on a state dict's OrderedDict (module versions); not needed.
            guard case .dict? = node(state) else { throw fail("the state of a dict must be a dict, found \(kind(state))") }
        default:
            throw fail("BUILD on a \(nodes[i].kindName) is not allowed")
        }
    }

    private mutating func ndarrayState(_ state: PickleValue) throws -> NumpyArray {
        // (version, shape, dtype, is_fortran, data); very old numpy omits the version.
        guard var items = tupleItems(state), items.count == 5 || items.count == 4 else {
            throw fail("unexpected numpy array state (expected (version, shape, dtype, is_fortran, data))")
        }
        if items.count == 5 { items.removeFirst() }
        let shape = try intItems(items[0], "numpy array shape")
        guard shape.count <= 32, shape.allSatisfy({ $0 >= 0 }) else { throw fail("invalid numpy array shape \(shape)") }
        guard case .dtype(let dtype)? = node(items[1]) else { throw fail("numpy array dtype is a \(kind(items[1]))") }
        let fortran: Bool
        switch items[2] {
        case .bool(let b): fortran = b
        case .int(let i): fortran = i != 0
        default: throw fail("numpy array order flag is a \(kind(items[2]))")
        }
        var data: [UInt8]?
        switch items[3] {
        case .bytes(let b): data = b
        case .string(let s): data = try latin1(s)
        case .ref where dtype.kind == "O": data = nil  // object array: elements are Python objects
        default: throw fail("numpy array data is a \(kind(items[3])), expected raw bytes")
        }
        if let data, !dtype.structured {
            var count = dtype.itemSize
            for n in shape {
                let (c, overflow) = count.multipliedReportingOverflow(by: n)
                guard !overflow else { throw fail("numpy array shape \(shape) overflows") }
                count = c
            }
            guard count == data.count else {
                throw fail("numpy array of shape \(shape) and dtype \(dtype.description) needs \(count) bytes, found \(data.count)")
            }
        }
        return NumpyArray(shape: shape, dtype: dtype, fortranOrder: fortran, data: data)
    }

    private func parseDType(_ code: String) throws -> NumpyDType {
        var chars = Substring(code)
        var order: Character = "|"
        if let c = chars.first, "<>|=".contains(c) { order = c; chars.removeFirst() }
        guard let kind = chars.first, kind.isASCII, kind.isLetter || kind == "?" else {
            throw fail("unsupported numpy dtype \(DisplaySafe.quoted(code))")
        }
        let digits = chars.dropFirst()
        guard digits.count <= 9, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw fail("unsupported numpy dtype \(DisplaySafe.quoted(code))")
        }
        let size = digits.isEmpty ? 0 : Int(digits)!
        return NumpyDType(kind: kind, itemSize: size, byteOrder: order, structured: false)
    }

    private mutating func latin1(_ text: String) throws -> [UInt8] {
        try charge(text.utf8.count)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            guard scalar.value < 256 else { throw fail("character U+\(String(scalar.value, radix: 16)) is not latin-1") }
            out.append(UInt8(scalar.value))
        }
        return out
    }

    private func rebuildTensor(_ args: [PickleValue]) throws -> TensorRef {
        // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
        guard args.count == 6 || args.count == 7 else {
            throw fail("_rebuild_tensor_v2 takes 6 or 7 arguments, found \(args.count)")
        }
        guard case .storage(let storage)? = node(args[0]) else {
            throw fail("a tensor's storage is a \(kind(args[0])), expected a storage persistent id")
        }
        guard case .int(let offset) = args[1], offset >= 0 else { throw fail("invalid tensor storage offset") }
        let size = try intItems(args[2], "tensor size")
        let stride = try intItems(args[3], "tensor stride")
        guard size.count == stride.count, size.count <= 16 else {
            throw fail("tensor size \(size) and stride \(stride) do not match")
        }
        guard size.allSatisfy({ $0 >= 0 }), stride.allSatisfy({ $0 >= 0 }) else {
            throw fail("negative tensor size or stride (\(size), \(stride))")
        }
        guard case .bool = args[4] else { throw fail("requires_grad is a \(kind(args[4]))") }
        guard case .dict? = node(args[5]) else { throw fail("backward hooks are a \(kind(args[5])), expected an OrderedDict") }
        let view = TensorRef(storage: storage, offset: offset, size: size, stride: stride)
        if let message = TorchTensorView.boundsProblem(view) { throw fail(message) }
        return view
    }

    private mutating func persistentStorage(_ pid: PickleValue) throws -> PickleValue {
        guard let items = tupleItems(pid), items.count == 5, items[0] == .string("storage") else {
            throw fail("only ('storage', type, key, location, numel) persistent ids are supported, found \(kind(pid))")
        }
        guard case .global(.storageType(let scalarType), _)? = node(items[1]) else {
            throw fail("storage type is \(kind(items[1])), expected torch.FloatStorage/DoubleStorage/HalfStorage/BFloat16Storage")
        }
        guard case .string(let key) = items[2], !key.isEmpty, key.count <= 64,
            key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else {
            throw fail("invalid storage key (a \(kind(items[2])) of the wrong form)")
        }
        guard case .string(let location) = items[3] else { throw fail("storage location is a \(kind(items[3]))") }
        guard case .int(let numel) = items[4], numel >= 0, !numel.multipliedReportingOverflow(by: scalarType.byteCount).overflow else {
            throw fail("invalid storage element count")
        }
        return try newNode(.storage(StorageRef(key: key, scalarType: scalarType, location: location, numel: numel)))
    }

    /// pathlib joins parts like this (an absolute part restarts the path); enough for display.
    static func joinPath(_ parts: [String], _ flavor: PickleGlobal.PathFlavor) -> String {
        let sep: Character = flavor == .posix ? "/" : "\\"
        var out = ""
        for part in parts where !part.isEmpty {
            let absolute = part.first == sep || (flavor == .windows && part.dropFirst().first == ":")
            if out.isEmpty || absolute {
                out = part
            } else {
                if out.last != sep { out.append(sep) }
                out += part
            }
        }
        return out.isEmpty ? "." : out
    }

    static let opcodeNames: [UInt8: String] = [
        0x80: "PROTO", 0x95: "FRAME", 0x2E: "STOP", 0x28: "MARK", 0x30: "POP", 0x31: "POP_MARK", 0x32: "DUP",
        0x4E: "NONE", 0x88: "NEWTRUE", 0x89: "NEWFALSE", 0x4B: "BININT1", 0x4D: "BININT2", 0x4A: "BININT",
        0x8A: "LONG1", 0x8B: "LONG4", 0x47: "BINFLOAT", 0x49: "INT", 0x4C: "LONG", 0x46: "FLOAT",
        0x58: "BINUNICODE", 0x8C: "SHORT_BINUNICODE", 0x8D: "BINUNICODE8", 0x42: "BINBYTES",
        0x43: "SHORT_BINBYTES", 0x8E: "BINBYTES8", 0x96: "BYTEARRAY8", 0x54: "BINSTRING", 0x55: "SHORT_BINSTRING",
        0x29: "EMPTY_TUPLE", 0x85: "TUPLE1", 0x86: "TUPLE2", 0x87: "TUPLE3", 0x74: "TUPLE", 0x5D: "EMPTY_LIST",
        0x6C: "LIST", 0x7D: "EMPTY_DICT", 0x64: "DICT", 0x8F: "EMPTY_SET", 0x91: "FROZENSET", 0x61: "APPEND",
        0x65: "APPENDS", 0x73: "SETITEM", 0x75: "SETITEMS", 0x90: "ADDITEMS", 0x71: "BINPUT", 0x72: "LONG_BINPUT",
        0x94: "MEMOIZE", 0x68: "BINGET", 0x6A: "LONG_BINGET", 0x70: "PUT", 0x67: "GET", 0x63: "GLOBAL",
        0x93: "STACK_GLOBAL", 0x52: "REDUCE", 0x81: "NEWOBJ", 0x92: "NEWOBJ_EX", 0x62: "BUILD", 0x51: "BINPERSID",
        0x53: "STRING", 0x56: "UNICODE", 0x50: "PERSID", 0x69: "INST", 0x6F: "OBJ", 0x82: "EXT1", 0x83: "EXT2",
        0x84: "EXT4", 0x97: "NEXT_BUFFER", 0x98: "READONLY_BUFFER",
    ]
}
