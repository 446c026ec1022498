import Foundation

/// The only Python globals a model file may name: exactly those `GlassBoxUMAP.save` writes
/// (torch tensors, numpy arrays, a sklearn PCA, pathlib paths, OrderedDict).
///
/// In Python, GLOBAL imports any callable and REDUCE calls it, which is how a pickle runs
/// code (`posix.system`, `builtins.eval`, …). Here a global is only ever a tag: calling an
/// allowlisted one fills in a plain-data node (`PickleNode`), and every other name is
/// refused at the GLOBAL opcode itself, before anything else in the file is looked at.
enum PickleGlobal: Equatable, Sendable {
    case orderedDict
    case rebuildTensorV2
    case storageType(ScalarType)
    case sklearnPCA
    case ndarrayReconstruct
    case ndarrayType
    case numpyDType
    case codecsEncode
    case numpyScalar
    case path(PathFlavor)

    enum PathFlavor: Sendable { case posix, windows }

    static func resolve(module: String, name: String) -> PickleGlobal? {
        allowlist[module + "." + name]
    }

    static let allowlist: [String: PickleGlobal] = {
        var list: [String: PickleGlobal] = [
            "collections.OrderedDict": .orderedDict,
            "torch._utils._rebuild_tensor_v2": .rebuildTensorV2,
            "torch.FloatStorage": .storageType(.float32),
            "torch.DoubleStorage": .storageType(.float64),
            "torch.HalfStorage": .storageType(.float16),
            "torch.BFloat16Storage": .storageType(.bfloat16),
            "sklearn.decomposition._pca.PCA": .sklearnPCA,
            "numpy.ndarray": .ndarrayType,
            "numpy.dtype": .numpyDType,
            "_codecs.encode": .codecsEncode,
        ]
        // numpy ≥ 2 pickles `numpy._core…`; numpy 1.x wrote `numpy.core…`.
        for core in ["numpy._core.multiarray", "numpy.core.multiarray"] {
            list[core + "._reconstruct"] = .ndarrayReconstruct
            list[core + ".scalar"] = .numpyScalar
        }
        // Python ≤ 3.12 pickles `pathlib.X`; 3.13 moved the classes to `pathlib._local`.
        for module in ["pathlib", "pathlib._local"] {
            list[module + ".PosixPath"] = .path(.posix)
            list[module + ".PurePosixPath"] = .path(.posix)
            list[module + ".WindowsPath"] = .path(.windows)
            list[module + ".PureWindowsPath"] = .path(.windows)
        }
        return list
    }()

    /// The message for a refused name; it must say what was refused and why.
    static func refusal(module: String, name: String) -> String {
        "refusing to load global \(DisplaySafe.quoted(module + "." + name, limit: 120)): only plain data (tensors, numpy arrays, "
            + "a sklearn PCA, paths, dicts, lists, numbers, strings) is allowed in a model file, "
            + "and loading other Python objects could run arbitrary code"
    }
}
