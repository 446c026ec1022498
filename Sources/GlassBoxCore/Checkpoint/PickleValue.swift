import Foundation

/// One item on the unpickler's stack or in its memo: an immutable scalar, or a reference
/// into `PickleGraph.nodes`.
///
/// Containers live in a flat arena and are referred to by index rather than being Swift
/// classes or an indirect enum: pickle containers are mutable and shared through the memo
/// (APPEND/SETITEM/BUILD change an object that BINGET may hand out again), and a file may
/// nest them a million levels deep. Indices keep the sharing semantics of Python, and
/// destroying the arena never recurses, so deep nesting cannot overflow the call stack.
enum PickleValue: Equatable, Sendable {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case ref(Int)

    /// The Python type name of a scalar ("object" for references; see `PickleGraph.kindName`).
    var scalarKindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .ref: return "object"
        }
    }
}

/// The objects the restricted unpickler can build: plain containers, and plain-data
/// stand-ins for the few allowlisted library objects upstream writes. Nothing here can
/// run code; an allowlisted "call" only fills one of these in.
enum PickleNode: Sendable {
    case tuple([PickleValue])
    case list([PickleValue])
    /// A dict or `collections.OrderedDict`, pairs in insertion order. Re-assigned keys are
    /// appended again; readers take the last value (see `PickleGraph.lookup`).
    case dict([(key: PickleValue, value: PickleValue)])
    case set([PickleValue])
    /// An allowlisted global that has not been called (yet).
    case global(PickleGlobal, name: String)
    /// A tensor storage named by a persistent id: its bytes are `<archive>/data/<key>`.
    case storage(StorageRef)
    /// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)`.
    case tensor(TensorRef)
    /// `numpy.dtype(...)` (+ BUILD for the byte order).
    case dtype(NumpyDType)
    /// `numpy._core.multiarray._reconstruct(ndarray, (0,), b'b')`: empty until BUILD fills it.
    case ndarray(NumpyArray?)
    /// `numpy._core.multiarray.scalar(dtype, raw bytes)`.
    case numpyScalar(NumpyDType, [UInt8])
    /// A `sklearn.decomposition.PCA`: only its `__dict__` (set by BUILD) is kept.
    case pcaObject(state: PickleValue?)
    /// A pathlib path, joined to text.
    case path(String)

    var kindName: String {
        switch self {
        case .tuple: return "tuple"
        case .list: return "list"
        case .dict: return "dict"
        case .set: return "set"
        case .global(_, let name): return "global '\(name)'"
        case .storage: return "tensor storage"
        case .tensor: return "tensor"
        case .dtype: return "numpy dtype"
        case .ndarray: return "numpy array"
        case .numpyScalar: return "numpy scalar"
        case .pcaObject: return "sklearn PCA"
        case .path: return "path"
        }
    }
}

/// A storage persistent id: `('storage', torch.FloatStorage, '<key>', '<location>', numel)`.
struct StorageRef: Equatable, Sendable {
    var key: String
    var scalarType: ScalarType
    var location: String
    var numel: Int
}

/// A strided view into a storage, as `_rebuild_tensor_v2` describes it (element units).
struct TensorRef: Equatable, Sendable {
    var storage: StorageRef
    var offset: Int
    var size: [Int]
    var stride: [Int]
}

/// The parts of a numpy dtype that decide how raw array bytes are read.
struct NumpyDType: Equatable, Sendable {
    /// Type kind character: `f` float, `i` int, `u` unsigned, `b` bool, `O` object, …
    var kind: Character
    var itemSize: Int
    /// `<` little, `>` big, `|` not applicable, `=` native.
    var byteOrder: Character
    /// Structured or sub-array dtypes (fields / shape in the BUILD state): never numeric.
    var structured: Bool

    var description: String { "\(byteOrder)\(kind)\(itemSize)" + (structured ? " (structured)" : "") }
}

/// A numpy array as its pickle describes it. `data` is nil for object arrays, whose
/// elements are pickled as a list instead of raw bytes.
struct NumpyArray: Equatable, Sendable {
    var shape: [Int]
    var dtype: NumpyDType
    var fortranOrder: Bool
    var data: [UInt8]?
}

/// The unpickled object graph: the arena of containers and the top-level value.
struct PickleGraph: Sendable {
    var nodes: [PickleNode]
    var root: PickleValue

    func node(_ v: PickleValue) -> PickleNode? {
        if case .ref(let i) = v { return nodes[i] }
        return nil
    }

    /// A short name of a value's type, for messages ("expected a dict, found a list").
    func kindName(_ v: PickleValue) -> String {
        node(v)?.kindName ?? v.scalarKindName
    }

    func dictPairs(_ v: PickleValue) -> [(key: PickleValue, value: PickleValue)]? {
        if case .dict(let pairs)? = node(v) { return pairs }
        return nil
    }

    /// Tuple or list elements.
    func sequence(_ v: PickleValue) -> [PickleValue]? {
        switch node(v) {
        case .tuple(let items)?, .list(let items)?: return items
        default: return nil
        }
    }

    /// The value of a string key in a dict; the last assignment wins, as in Python.
    func lookup(_ v: PickleValue, _ key: String) -> PickleValue? {
        guard let pairs = dictPairs(v) else { return nil }
        for pair in pairs.reversed() where pair.key == .string(key) { return pair.value }
        return nil
    }

    /// Dict pairs with later assignments folded into the first position (Python dict order).
    func orderedItems(_ v: PickleValue) -> [(key: PickleValue, value: PickleValue)]? {
        guard let pairs = dictPairs(v) else { return nil }
        var out: [(key: PickleValue, value: PickleValue)] = []
        var position: [PickleKey: Int] = [:]
        for pair in pairs {
            let k = PickleKey(pair.key)
            if let at = position[k] {
                out[at].value = pair.value
            } else {
                position[k] = out.count
                out.append(pair)
            }
        }
        return out
    }
}

/// Hashable form of the scalar keys we fold (containers are compared by identity).
private enum PickleKey: Hashable {
    case none, bool(Bool), int(Int), float(Double), string(String), bytes([UInt8]), ref(Int)

    init(_ v: PickleValue) {
        switch v {
        case .none: self = .none
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .int(i)
        case .float(let d): self = .float(d)
        case .string(let s): self = .string(s)
        case .bytes(let b): self = .bytes(b)
        case .ref(let i): self = .ref(i)
        }
    }
}
