import Foundation
import XCTest
@testable import GlassBoxCore
import GlassBoxTestSupport

/// Hostile and broken checkpoints: every one must end in an `InputError`, never a crash,
/// a hang, or code running.
final class CheckpointHostileTests: XCTestCase {
    private func unpickle(_ bytes: [UInt8], limits: Unpickler.Limits = Unpickler.Limits()) throws -> PickleGraph {
        try Unpickler.load(bytes, file: "evil.pt", field: "evil/data.pkl", limits: limits)
    }

    private func loadZip(_ entries: [(String, [UInt8])], name: String = "evil.pt") throws -> GlassBoxModel {
        try TorchCheckpoint.load(data: StoredZip.make(entries), fileName: name)
    }

    // MARK: - Code execution

    func testAllowlistIsExactlyUpstreamsGlobals() {
        var expected = [
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch.FloatStorage", "torch.DoubleStorage",
            "torch.HalfStorage", "torch.BFloat16Storage", "sklearn.decomposition._pca.PCA", "numpy.ndarray",
            "numpy.dtype", "_codecs.encode",
            "numpy._core.multiarray._reconstruct", "numpy.core.multiarray._reconstruct",
            "numpy._core.multiarray.scalar", "numpy.core.multiarray.scalar",
        ]
        for module in ["pathlib", "pathlib._local"] {
            expected += ["PosixPath", "WindowsPath", "PurePosixPath", "PureWindowsPath"].map { module + "." + $0 }
        }
        XCTAssertEqual(PickleGlobal.allowlist.keys.sorted(), expected.sorted())
    }

    func testFixtureCallingOsSystemIsRefused() throws {
        // Written by torch.save with an object whose __reduce__ is os.system (see make_checkpoints.py).
        let marker = "/tmp/glassbox-pwned-checkpoint-fixture"
        try? FileManager.default.removeItem(atPath: marker)
        assertCheckpointError(["evil_system.pt", "refusing to load global 'posix.system'", "only plain data"]) {
            _ = try TorchCheckpoint.load(contentsOf: try CheckpointFixtures.url("evil_system.pt"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testCodeExecutingGlobalsAreRefusedByName() throws {
        let marker = "/tmp/glassbox-pwned-XYZ-\(getpid())"
        try? FileManager.default.removeItem(atPath: marker)
        for (module, name) in [
            ("posix", "system"), ("os", "system"), ("builtins", "eval"), ("subprocess", "call"),
            ("torch", "load"), ("numpy", "load"), ("collections", "defaultdict"),
        ] {
            // Protocol 2: GLOBAL module\nname\n, then the argument tuple and REDUCE.
            var p = PickleWriter()
            p.global(module, name)
            p.string(name == "eval" ? "__import__('os').system('touch \(marker)')" : "touch \(marker)")
            p.op(0x85)  // TUPLE1
            p.reduce()
            p.stop()
            assertCheckpointError(["refusing to load global '\(module).\(name)'", "at byte 2 (GLOBAL)"]) {
                _ = try unpickle(p.bytes)
            }
            // The same payload inside a checkpoint zip.
            assertCheckpointError(["evil.pt", "evil/data.pkl", "refusing to load global '\(module).\(name)'"]) {
                _ = try loadZip([("evil/data.pkl", p.bytes)])
            }
            // Protocol 4: STACK_GLOBAL takes the names from the stack.
            var q = PickleWriter(protocol: 4)
            q.bytes += [0x8C, UInt8(module.utf8.count)] + Array(module.utf8)
            q.bytes += [0x8C, UInt8(name.utf8.count)] + Array(name.utf8)
            q.op(0x93)
            q.string("touch \(marker)"); q.op(0x85); q.reduce(); q.stop()
            assertCheckpointError(["refusing to load global '\(module).\(name)'", "STACK_GLOBAL"]) {
                _ = try unpickle(q.bytes)
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker))
    }

    func testRefusalHappensAtTheGlobalBeforeLaterGarbage() {
        var p = PickleWriter()
        p.global("posix", "system")
        p.bytes += [0xFF, 0xFF, 0xFF]  // would be "unknown opcode" if the machine got that far
        assertCheckpointError(["refusing to load global 'posix.system'"]) { _ = try unpickle(p.bytes) }
    }

    func testAllowlistedGlobalsCannotBeMisused() {
        // A storage type called directly, ndarray outside _reconstruct, REDUCE on a non-global,
        // NEWOBJ of something other than PCA, BUILD on a list.
        var a = PickleWriter(); a.global("torch", "FloatStorage"); a.emptyTuple(); a.reduce(); a.stop()
        assertCheckpointError(["only appear inside a storage persistent id"]) { _ = try unpickle(a.bytes) }
        var b = PickleWriter(); b.global("numpy", "ndarray"); b.emptyTuple(); b.reduce(); b.stop()
        assertCheckpointError(["may only be passed to _reconstruct"]) { _ = try unpickle(b.bytes) }
        var c = PickleWriter(); c.string("posix.system"); c.emptyTuple(); c.reduce(); c.stop()
        assertCheckpointError(["needs an allowlisted global", "found str"]) { _ = try unpickle(c.bytes) }
        var d = PickleWriter(); d.global("collections", "OrderedDict"); d.emptyTuple(); d.newObj(); d.stop()
        assertCheckpointError(["NEWOBJ is not supported"]) { _ = try unpickle(d.bytes) }
        var e = PickleWriter(); e.emptyList(); e.emptyDict(); e.build(); e.stop()
        assertCheckpointError(["BUILD on a list is not allowed"]) { _ = try unpickle(e.bytes) }
        var f = PickleWriter(); f.global("_codecs", "encode"); f.string("x"); f.string("utf-7"); f.op(0x86); f.reduce(); f.stop()
        assertCheckpointError(["'latin1'"]) { _ = try unpickle(f.bytes) }
        var g = PickleWriter(); g.mark(); g.string("storage"); g.global("builtins", "dict")
        assertCheckpointError(["refusing to load global 'builtins.dict'"]) { _ = try unpickle(g.bytes) }
        var h = PickleWriter(); h.mark(); h.string("file"); h.string("x"); h.tuple(); h.persid(); h.stop()
        assertCheckpointError(["persistent ids"]) { _ = try unpickle(h.bytes) }
    }

    // MARK: - Malformed pickles

    func testTruncatedPicklesFailCleanly() throws {
        let archive = try TorchArchive(data: try CheckpointFixtures.data("default_pca.pt"), file: "default_pca.pt")
        let pickle = try archive.pickle()
        for cut in stride(from: 0, to: pickle.count, by: 7) {
            assertCheckpointError(["default_pca.pt"]) {
                _ = try TorchCheckpoint.model(
                    pickle: Array(pickle[..<cut]), file: "default_pca.pt", pickleField: archive.pickleField,
                    elementBudget: 1 << 20, storage: archive.storageBytes)
            }
        }
        assertCheckpointError(["ends without a STOP"]) { _ = try unpickle(Array(pickle.dropLast())) }
    }

    func testBadOpcodeAndUnsupportedOpcodes() {
        assertCheckpointError(["at byte 2", "unknown opcode"]) { _ = try unpickle([0x80, 0x02, 0xFF]) }
        assertCheckpointError(["protocol 9"]) { _ = try unpickle([0x80, 0x09, 0x4E, 0x2E]) }
        assertCheckpointError(["INST", "not supported"]) { _ = try unpickle(Array("(ios\nsystem\n.".utf8)) }
        assertCheckpointError(["EXT1", "not supported"]) { _ = try unpickle([0x80, 0x02, 0x82, 0x01, 0x2E]) }
        assertCheckpointError(["STRING", "not supported"]) { _ = try unpickle(Array("S'x'\n.".utf8)) }
        assertCheckpointError(["PERSID", "not supported"]) { _ = try unpickle(Array("P0\n.".utf8)) }
    }

    func testHugeDeclaredLengthsAreCheckedBeforeAllocating() {
        let cases: [[UInt8]] = [
            [0x80, 0x02, 0x58, 0xFF, 0xFF, 0xFF, 0xFF, 0x41],  // BINUNICODE 4 GiB
            [0x80, 0x04, 0x8D] + [UInt8](repeating: 0xFF, count: 8) + [0x41],  // BINUNICODE8 2^64-1
            [0x80, 0x04, 0x8E, 0, 0, 0, 0, 0, 0, 0, 0x80],  // BINBYTES8 2^63
            [0x80, 0x04, 0x95] + [UInt8](repeating: 0xFF, count: 8),  // FRAME
            [0x80, 0x02, 0x42, 0xFF, 0xFF, 0xFF, 0x7F],  // BINBYTES
            [0x80, 0x02, 0x54, 0xFF, 0xFF, 0xFF, 0x7F],  // BINSTRING
            [0x80, 0x02, 0x8B, 0xFF, 0xFF, 0xFF, 0x7F],  // LONG4
        ]
        for bytes in cases {
            assertCheckpointError(["remain"]) { _ = try unpickle(bytes) }
        }
        assertCheckpointError(["negative length"]) { _ = try unpickle([0x80, 0x02, 0x54, 0xFF, 0xFF, 0xFF, 0xFF]) }
        assertCheckpointError(["not valid UTF-8"]) { _ = try unpickle([0x80, 0x02, 0x8C, 0x02, 0xC3, 0x28, 0x2E]) }
    }

    func testMarkDisciplineErrors() {
        assertCheckpointError(["no MARK"]) { _ = try unpickle([0x80, 0x02, 0x4E, 0x74, 0x2E]) }  // TUPLE
        assertCheckpointError(["no MARK"]) { _ = try unpickle([0x80, 0x02, 0x5D, 0x4E, 0x65, 0x2E]) }  // APPENDS
        assertCheckpointError(["no MARK"]) { _ = try unpickle([0x80, 0x02, 0x31, 0x2E]) }  // POP_MARK
        // SETITEM right after a MARK would reach below it.
        assertCheckpointError(["before the last MARK"]) { _ = try unpickle([0x80, 0x02, 0x7D, 0x28, 0x4E, 0x73, 0x2E]) }
        assertCheckpointError(["stack is empty"]) { _ = try unpickle([0x80, 0x02, 0x61, 0x2E]) }  // APPEND
        assertCheckpointError(["holds 0 values"]) { _ = try unpickle([0x80, 0x02, 0x2E]) }  // STOP
        assertCheckpointError(["MARK(s) were never closed"]) { _ = try unpickle([0x80, 0x02, 0x28, 0x4E, 0x2E]) }
        assertCheckpointError(["holds 2 values"]) { _ = try unpickle([0x80, 0x02, 0x4E, 0x4E, 0x2E]) }
        assertCheckpointError(["odd number"]) { _ = try unpickle([0x80, 0x02, 0x7D, 0x28, 0x4E, 0x75, 0x2E]) }
        assertCheckpointError(["only be appended to a list"]) { _ = try unpickle([0x80, 0x02, 0x7D, 0x4E, 0x61, 0x2E]) }
        assertCheckpointError(["memo key 7 was never stored"]) { _ = try unpickle([0x80, 0x02, 0x68, 0x07, 0x2E]) }
        assertCheckpointError(["BUILD on a None"]) { _ = try unpickle([0x80, 0x02, 0x4E, 0x7D, 0x62, 0x2E]) }
    }

    func testDeepNestingDoesNotCrash() throws {
        let depth = 1_000_000
        // 1. A million EMPTY_LIST pushes, then a million APPENDs: bounded by the stack limit.
        var stacked: [UInt8] = [0x80, 0x02]
        stacked += [UInt8](repeating: 0x5D, count: depth)
        stacked += [UInt8](repeating: 0x61, count: depth - 1)
        stacked.append(0x2E)
        assertCheckpointError(["stack would exceed"]) { _ = try unpickle(stacked) }

        // 2. A million nested MARKs: bounded by the MARK depth limit.
        var marks: [UInt8] = [0x80, 0x02]
        for _ in 0..<depth { marks += [0x28, 0x5D] }
        assertCheckpointError(["MARKs nested deeper"]) { _ = try unpickle(marks) }

        // 3. A list nested deep with a constant-size stack (memo trick: PUT the new list,
        //    APPEND it to its parent, POP the parent, GET the new one). A million levels build
        //    more objects than six bytes each allow; ten thousand are built, and converting
        //    them as `attrs` stops at the depth cap.
        func nested(_ depth: Int) -> [UInt8] {
            var p = PickleWriter()
            p.emptyDict()
            p.string("attrs")
            p.emptyList(); p.put(0)  // the outermost list, kept in memo 0
            for _ in 0..<depth {
                p.emptyList(); p.put(1); p.append(); p.op(0x30); p.get(1)
            }
            p.op(0x30); p.get(0)
            p.setItem()
            p.stop()
            return p.bytes
        }
        assertCheckpointError(["objects from 7000021 bytes of pickle, far more than a model file does"]) { _ = try unpickle(nested(depth)) }
        let graph = try unpickle(nested(10_000))
        XCTAssertEqual(graph.nodes.count, 10_000 + 2)
        assertCheckpointError(["attrs", "nest deeper than"]) {
            _ = try TorchCheckpoint.model(
                pickle: nested(10_000), file: "deep.pt", pickleField: "deep/data.pkl",
                elementBudget: 0, storage: { _ in [] })
        }
    }

    /// Memory follows the values held, not the bytes read: `[[]] * N` costs two bytes of pickle
    /// per reference (issue #12: 20 MB of it took 650 MB and was accepted).
    func testValuesHeldAreBudgetedInProportionToTheFile() throws {
        func references(lists: Int, each: Int) -> [UInt8] {
            var p = PickleWriter()
            p.emptyList(); p.put(0); p.op(0x30)  // the shared empty list, in memo 0
            p.mark()
            for _ in 0..<lists {
                p.emptyList()
                for _ in 0..<(each / 1000) {
                    p.mark(); for _ in 0..<1000 { p.get(0) }; p.op(0x65)  // APPENDS
                }
            }
            p.op(0x6C)  // LIST of the lists
            p.stop()
            return p.bytes
        }
        // Far more values than the file's size allows (2.2 MB of pickle may hold 268,710).
        assertCheckpointError(["at byte 538545 (APPENDS): the file's containers hold more than 268710 values for 2202210 bytes of pickle"])
        {
            _ = try unpickle(references(lists: 1, each: 1_100_000))
        }
        // One list past what any checkpoint holds, whatever the file's size.
        var unbudgeted = Unpickler.Limits()
        unbudgeted.maxValues = .max
        assertCheckpointError(["a container would hold more than 1048576 values; a model file has none that large"]) {
            _ = try unpickle(references(lists: 1, each: 1_100_000), limits: unbudgeted)
        }
        // What a checkpoint can hold passes: thousands of references.
        XCTAssertEqual(try unpickle(references(lists: 4, each: 10_000)).nodes.count, 6)
        // Upstream's files load, of course.
        for name in ["default_pca.pt", "residual.pt", "one_hidden.pt"] {
            XCTAssertNoThrow(try TorchCheckpoint.load(contentsOf: try CheckpointFixtures.url(name)))
        }
    }

    func testCyclicAndExponentialAttributes() {
        // attrs = [attrs]: a list containing itself.
        var cyclic = PickleWriter()
        cyclic.emptyDict(); cyclic.string("attrs"); cyclic.emptyList(); cyclic.put(0); cyclic.get(0); cyclic.append()
        cyclic.setItem(); cyclic.stop()
        assertCheckpointError(["nest deeper than"]) {
            _ = try TorchCheckpoint.model(
                pickle: cyclic.bytes, file: "c.pt", pickleField: "c/data.pkl", elementBudget: 0, storage: { _ in [] })
        }
        // "Billion laughs": each level is a list of 10 references to the level below.
        var laughs = PickleWriter()
        laughs.emptyDict(); laughs.string("attrs")
        laughs.string("ha"); laughs.put(0)
        for _ in 0..<30 {
            laughs.op(0x30)
            laughs.mark(); for _ in 0..<10 { laughs.get(0) }; laughs.op(0x6C); laughs.put(0)  // LIST
        }
        laughs.setItem(); laughs.stop()
        assertCheckpointError(["more than 100000 values"]) {
            _ = try TorchCheckpoint.model(
                pickle: laughs.bytes, file: "l.pt", pickleField: "l/data.pkl", elementBudget: 0, storage: { _ in [] })
        }
    }

    func testRepeatedCodecsEncodeIsBudgeted() {
        // One 1 KB latin-1 string encoded 10,000 times would derive 10 MB from a 40 KB file.
        var p = PickleWriter()
        p.string(String(repeating: "a", count: 1024)); p.put(0); p.op(0x30)
        p.global("_codecs", "encode"); p.put(1); p.op(0x30)
        p.string("latin1"); p.put(2); p.op(0x30)
        p.emptyList()
        for _ in 0..<10_000 {
            p.get(1); p.get(0); p.get(2); p.op(0x86); p.reduce(); p.append()
        }
        p.stop()
        assertCheckpointError(["derives more than"]) { _ = try unpickle(p.bytes) }
    }

    func testRandomMutationsNeverCrash() throws {
        let archive = try TorchArchive(data: try CheckpointFixtures.data("default_pca.pt"), file: "default_pca.pt")
        let pickle = try archive.pickle()
        var rng = SplitMix64(seed: 0xC0FFEE)
        var loaded = 0
        for _ in 0..<3000 {
            var mutated = pickle
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<mutated.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: mutated[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: mutated.remove(at: i)
                default: mutated.insert(UInt8.random(in: 0...255, using: &rng), at: i)
                }
            }
            do {
                _ = try TorchCheckpoint.model(
                    pickle: mutated, file: "m.pt", pickleField: "m/data.pkl",
                    elementBudget: 1 << 20, storage: archive.storageBytes)
                loaded += 1
            } catch is InputError {
            } catch {
                XCTFail("non-InputError \(error)")
            }
        }
        XCTAssertLessThan(loaded, 3000)
        // Whole-file mutations hit the zip reader too.
        let file = try CheckpointFixtures.data("one_hidden.pt")
        for _ in 0..<300 {
            var mutated = file
            let i = Int.random(in: 0..<mutated.count, using: &rng)
            mutated[i] = UInt8.random(in: 0...255, using: &rng)
            do { _ = try TorchCheckpoint.load(data: mutated, fileName: "m.pt") } catch is InputError {} catch {
                XCTFail("non-InputError \(error)")
            }
        }
    }

    // MARK: - Archive problems

    func testZipStructureAttacks() throws {
        let original = Array(try CheckpointFixtures.data("one_hidden.pt"))
        func find(_ signature: [UInt8], from: Int = 0) -> Int {
            (from...(original.count - 4)).first { Array(original[$0..<($0 + 4)]) == signature }!
        }
        func patched(_ at: Int, _ bytes: [UInt8]) -> Data {
            var d = original
            d.replaceSubrange(at..<(at + bytes.count), with: bytes)
            return Data(d)
        }
        func load(_ d: Data) throws { _ = try TorchCheckpoint.load(data: d, fileName: "z.pt") }
        let zip64Record = find([0x50, 0x4B, 0x06, 0x06])
        let central = find([0x50, 0x4B, 0x01, 0x02])
        // ZIP64 end record: central directory offset near 2^64, absurd entry count.
        assertCheckpointError(["central directory lies outside the file"]) {
            try load(patched(zip64Record + 48, [0xF0] + [UInt8](repeating: 0xFF, count: 7)))
        }
        assertCheckpointError(["declares"]) { try load(patched(zip64Record + 32, [UInt8](repeating: 0xFF, count: 8))) }
        // First central directory record: local header offset, sizes, compression, encryption.
        assertCheckpointError(["no local header"]) { try load(patched(central + 42, [0xFE, 0xFF, 0xFF, 0x7F])) }
        assertCheckpointError(["ZIP64"]) { try load(patched(central + 42, [0xFF, 0xFF, 0xFF, 0xFF])) }
        assertCheckpointError(["runs past the end"]) {
            try load(patched(central + 20, [0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F]))
        }
        assertCheckpointError(["is compressed"]) { try load(patched(central + 10, [8, 0])) }
        assertCheckpointError(["is encrypted"]) { try load(patched(central + 8, [0x09, 0x08])) }
        // Truncations anywhere in the file.
        for cut in stride(from: 0, to: original.count, by: 97) {
            assertCheckpointError(["z.pt"]) { try load(Data(original[..<cut])) }
        }
    }

    func testNotAZip() throws {
        assertCheckpointError(["notes.txt", "not a zip archive"]) {
            _ = try TorchCheckpoint.load(data: Data("hello, world".utf8), fileName: "notes.txt")
        }
        assertCheckpointError(["empty.pt", "not a zip archive"]) { _ = try TorchCheckpoint.load(data: Data(), fileName: "empty.pt") }
        let missing = URL(fileURLWithPath: "/nonexistent/dir/model.pt")
        assertCheckpointError(["/nonexistent/dir/model.pt", "no such file"]) { _ = try TorchCheckpoint.load(contentsOf: missing) }
    }

    func testMissingDataPkl() {
        assertCheckpointError(["evil.pt", "data.pkl", "no '<name>/data.pkl' entry"]) {
            _ = try loadZip([("ck/byteorder", Array("little".utf8)), ("ck/data/0", [0, 0, 0, 0])])
        }
        assertCheckpointError(["2 top folders"]) {
            _ = try loadZip([("a/data.pkl", [0x80, 2, 0x4E, 0x2E]), ("b/data.pkl", [0x80, 2, 0x4E, 0x2E])])
        }
    }

    func testWrongByteorder() {
        var ck = HandMadeCheckpoint()
        ck.byteorder = "big"
        assertCheckpointError(["ck/byteorder", "'big'", "only little-endian"]) {
            _ = try TorchCheckpoint.load(data: ck.zip, fileName: "be.pt")
        }
    }

    func testStorageShorterThanNumel() {
        var ck = HandMadeCheckpoint()
        ck.storage0 = HandMadeCheckpoint.floats([1, 2, 3, 4, 5])  // 5 floats for numel 6
        assertCheckpointError(["ck/data/0", "20 bytes", "6 float32 elements (24 bytes)"]) {
            _ = try TorchCheckpoint.load(data: ck.zip, fileName: "short.pt")
        }
    }

    func testTensorViewPastStorageEnd() {
        var ck = HandMadeCheckpoint()
        ck.w0View = (6, [2, 3], [3, 1], 1)  // offset 1: last element would be 6 of 6
        assertCheckpointError(["reaches element 6", "storage of 6 elements"]) {
            _ = try TorchCheckpoint.load(data: ck.zip, fileName: "view.pt")
        }
        ck.w0View = (6, [4, 3], [3, 1], 0)
        assertCheckpointError(["past the end"]) { _ = try TorchCheckpoint.load(data: ck.zip, fileName: "view.pt") }
        ck.w0View = (6, [Int(Int32.max), Int(Int32.max), Int(Int32.max)], [1, 1, 1], 0)
        assertCheckpointError(["overflows"]) { _ = try TorchCheckpoint.load(data: ck.zip, fileName: "view.pt") }
    }

    /// A product of input_dims that overflows is an error, not a skipped check (issue #12).
    func testInputDimsWhoseProductOverflowsAreRefused() throws {
        var ck = HandMadeCheckpoint()
        ck.inputDims = [1 << 62, 4]
        assertCheckpointError(["dims.pt: input_dims: input_dims [4611686018427387904, 4] has more values than can be counted"]) {
            _ = try TorchCheckpoint.load(data: ck.zip, fileName: "dims.pt")
        }
        ck.inputDims = [3, 1]
        XCTAssertEqual(try TorchCheckpoint.load(data: ck.zip, fileName: "dims.pt").inputDims, [3, 1])
    }

    /// PyTorch writes each entry's CRC-32 in a data descriptor after the data (flag bit 3) and
    /// in the central directory. An edit that fixes one of them must not pass (issue #12: the
    /// descriptor's was the only one checked, while Python's zipfile checks the directory's).
    func testEveryCRCOfAnEntryMustAgreeWithItsData() throws {
        var bytes = [UInt8](try CheckpointFixtures.data("one_hidden.pt"))
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
        // The local header of the first storage, its data and the descriptor after it.
        let name = Array("one_hidden/data/0".utf8)
        let local = try XCTUnwrap(
            (0..<(bytes.count - 30)).first { at in
                u32(at) == 0x0403_4B50 && u16(at + 26) == name.count && Array(bytes[(at + 30)..<(at + 30 + name.count)]) == name
            })
        XCTAssertEqual(u16(local + 6) & 8, 8, "PyTorch's zip writer sets the data-descriptor flag")
        let start = local + 30 + u16(local + 26) + u16(local + 28)
        let central = try XCTUnwrap(
            (0..<(bytes.count - 46)).first { at in
                u32(at) == 0x0201_4B50 && Array(bytes[(at + 46)..<(at + 46 + name.count)]) == name
            })
        let size = Int(u32(central + 24))
        XCTAssertEqual(u32(start + size), 0x0807_4B50)
        bytes[start] ^= 0x40
        assertCheckpointError(["flip.pt: one_hidden/data/0: CRC mismatch: the entry is corrupt"]) {
            _ = try TorchCheckpoint.load(data: Data(bytes), fileName: "flip.pt")
        }
        // The descriptor made to match the edited data: the central directory still disagrees.
        let crc = StoredZip.crc32(Array(bytes[start..<(start + size)]))
        for i in 0..<4 { bytes[start + size + 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        assertCheckpointError(["flip.pt", "'one_hidden/data/0' has two different CRC-32s (data descriptor and central directory)"]) {
            _ = try TorchCheckpoint.load(data: Data(bytes), fileName: "flip.pt")
        }
    }

    func testMissingStorageEntry() throws {
        let entries = try CheckpointFixtures.entries("one_hidden.pt").filter { !$0.0.hasSuffix("/data/1") }
        assertCheckpointError(["one_hidden/data/1", "missing"]) { _ = try loadZip(entries) }
    }

    func testRebuiltFixtureStillLoads() throws {
        // Guards the helpers above: the same entries through our own zip writer load fine.
        let model = try loadZip(try CheckpointFixtures.entries("one_hidden.pt"))
        XCTAssertEqual(model, try TorchCheckpoint.load(contentsOf: try CheckpointFixtures.url("one_hidden.pt")))
    }

    func testTopLevelMustBeTheSaveDict() {
        assertCheckpointError(["data.pkl", "holds a list"]) {
            _ = try loadZip([("x/data.pkl", [0x80, 0x02, 0x5D, 0x2E])])
        }
        assertCheckpointError(["state_dict", "missing"]) {
            _ = try loadZip([("x/data.pkl", [0x80, 0x02, 0x7D, 0x2E])])
        }
    }

    // MARK: - Architecture inference

    private func infer(_ keys: [(String, [Int])], name: String? = "default") throws -> [NamedLayer] {
        try EncoderArchitecture.layers(
            parameters: keys.map { EncoderParameter(key: $0.0, shape: $0.1) }, encoderName: name, encoderKwargs: nil,
            file: "m.pt", tensor: { p in Tensor(shape: p.shape, values: [Double](repeating: 0.5, count: p.shape.reduce(1, *))) })
    }

    func testArchitectureRefusals() {
        assertCheckpointError(["encoder.model.0.weight", "4-D", "convolution"]) {
            _ = try infer([("encoder.model.0.weight", [8, 1, 3, 3])], name: "my_conv")
        }
        assertCheckpointError(["unrecognized parameter or buffer 'encoder.model.1.running_mean'"]) {
            _ = try infer([("encoder.model.0.weight", [4, 3]), ("encoder.model.1.weight", [4]), ("encoder.model.1.running_mean", [4])])
        }
        assertCheckpointError(["unrecognized encoder parameter 'encoder.temperature'"]) {
            _ = try infer([("encoder.model.0.weight", [4, 3]), ("encoder.temperature", [1])])
        }
        assertCheckpointError(["not one nn.Sequential", "'encoder.body'", "'encoder.head'"]) {
            _ = try infer([("encoder.body.0.weight", [4, 3]), ("encoder.head.0.weight", [2, 4])], name: "custom")
        }
        assertCheckpointError(["module 'encoder.1'", "has no parameters", "Dropout"]) {
            _ = try infer([("encoder.0.weight", [4, 3]), ("encoder.2.weight", [2, 4])], name: "custom")
        }
        assertCheckpointError(["does not have the DeepPReLUNet layout", "'encoder.model.1' is a Linear where a PReLU was expected"]) {
            _ = try infer([("encoder.model.0.weight", [4, 3]), ("encoder.model.1.weight", [2, 4])])
        }
        assertCheckpointError(["no 'encoder.' parameters"]) { _ = try infer([]) }
        assertCheckpointError(["larger than 10000"]) { _ = try infer([("encoder.model.99999.weight", [2, 3])], name: "custom") }
    }

    func testArchitectureWithTwoHiddenLayers() throws {
        let layers = try infer([
            ("encoder.model.0.weight", [4, 3]), ("encoder.model.1.weight", [1]), ("encoder.model.2.scale", [4]),
            ("encoder.model.4.weight", [4, 4]), ("encoder.model.5.weight", [1]), ("encoder.model.7.weight", [2, 4]),
        ])
        XCTAssertEqual(layers.map(\.name), (0...7).map { "encoder.model.\($0)" })
        XCTAssertEqual(
            layers.map(\.layer.name), ["Linear", "PReLU", "LayerNormDetached", "Dropout", "Linear", "PReLU", "Dropout", "Linear"])
        // Another encoder's nn.Sequential may sit anywhere under encoder.
        let custom = try infer([("encoder.0.weight", [4, 3]), ("encoder.1.weight", [1]), ("encoder.2.weight", [2, 4])], name: "mine")
        XCTAssertEqual(custom.map(\.name), ["encoder.0", "encoder.1", "encoder.2"])
    }

    // MARK: - Canonical keys

    /// Only PyTorch's own spelling of a key is taken (issue #12: `encoder.model.00.weight`
    /// placed first was read as module 0 and won, so `verify` passed on another network;
    /// upstream's load refuses it as an unexpected key).
    func testAliasedDuplicateAndUnexpectedKeysAreRefusedByName() {
        func load(_ entries: @escaping (inout PickleWriter) -> Void) throws {
            var ck = HandMadeCheckpoint()
            ck.extraState = entries
            _ = try TorchCheckpoint.load(data: ck.zip, fileName: "alias.pt")
        }
        XCTAssertNoThrow(try load { _ in })
        assertCheckpointError([
            "alias.pt: state_dict['encoder.model.00.weight']: module index '00' is not written as PyTorch writes it ('0')"
        ]) {
            try load { p in
                p.string("encoder.model.00.weight"); p.tensor(key: "2", numel: 4, size: [2, 2], stride: [2, 1])
            }
        }
        assertCheckpointError(["state_dict['encoder.model.0.weight']: the state dict holds this key twice"]) {
            try load { p in
                p.string("encoder.model.0.weight"); p.tensor(key: "0", numel: 6, size: [2, 3], stride: [3, 1])
            }
        }
        assertCheckpointError(["state_dict['encoder..model.0.weight']: 'encoder..model.0.weight' has an empty name part"]) {
            try load { p in
                p.string("encoder..model.0.weight"); p.tensor(key: "0", numel: 6, size: [2, 3], stride: [3, 1])
            }
        }
        assertCheckpointError(["state_dict['decoder.weight']: unexpected key: upstream's model holds only its encoder's parameters"]) {
            try load { p in
                p.string("decoder.weight"); p.tensor(key: "0", numel: 6, size: [2, 3], stride: [3, 1])
            }
        }
        assertCheckpointError(["state_dict['encoder.model.0.weight ']: unrecognized parameter or buffer 'encoder.model.0.weight '"]) {
            try load { p in
                p.string("encoder.model.0.weight "); p.tensor(key: "0", numel: 6, size: [2, 3], stride: [3, 1])
            }
        }
        assertCheckpointError([
            "state_dict['encoder.0.weight']: upstream's default encoder keeps its modules under 'encoder.model.', not 'encoder.'"
        ]) {
            _ = try self.infer([("encoder.0.weight", [4, 3]), ("encoder.1.weight", [1]), ("encoder.3.weight", [2, 4])])
        }
    }
}
