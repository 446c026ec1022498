import XCTest
@testable import GlassBoxCore

/// `LayerKind` is the one description of each kind of layer that every format reads and
/// writes through; `Layer` must agree with it, case by case.
final class LayerKindTests: XCTestCase {
    private func tensors(_ slots: [LayerTensorSlot]) -> [String: Tensor] {
        Dictionary(
            uniqueKeysWithValues: slots.map { slot in
                let shape = slot.rank == 2 ? [4, 4] : [4]
                return (slot.key, Tensor(shape: shape, values: [Double](repeating: 0.5, count: shape.reduce(1, *))))
            })
    }

    func testEveryKindRoundTripsThroughItsTable() throws {
        for kind in LayerKind.allCases {
            let full = try Layer(kind: kind, tensors: tensors(kind.tensors), file: "t", field: kind.type)
            XCTAssertEqual(full.kind, kind)
            XCTAssertEqual(full.name, kind.type)
            XCTAssertEqual(full.parameters.map(\.key), kind.tensors.map(\.key), "\(kind): parameters in table order")
            XCTAssertEqual(full.eps != nil, kind.hasEps, "\(kind)")
            XCTAssertEqual(LayerKind(type: kind.type), kind)
            // Only the required tensors: the optional ones are left out, not invented.
            let minimal = try Layer(kind: kind, tensors: tensors(kind.tensors.filter(\.required)), file: "t", field: kind.type)
            XCTAssertEqual(minimal.parameters.map(\.key), kind.tensors.filter(\.required).map(\.key))
            // A state-dict module with these tensors is recognized as this kind, and only as it.
            if !kind.tensors.isEmpty {
                for layer in [full, minimal] {
                    let ranks = Dictionary(uniqueKeysWithValues: layer.parameters.map { ($0.key, $0.tensor.rank) })
                    XCTAssertEqual(LayerKind.matching(ranks), kind)
                    XCTAssertEqual(
                        LayerKind.allCases.filter { other in
                            other.tensors.allSatisfy { slot in ranks[slot.key].map { $0 == slot.rank } ?? !slot.required }
                                && ranks.keys.allSatisfy { key in other.tensors.contains { $0.key == key } } && !other.tensors.isEmpty
                        }, [kind], "no two kinds share a signature")
                }
            }
        }
    }

    func testLayersAreRefusedOffTheTable() {
        XCTAssertThrowsError(try Layer(kind: .linear, tensors: [:], file: "m", field: "l")) { error in
            XCTAssertEqual("\(error)", "m: l: a Linear needs the tensor 'weight'")
        }
        XCTAssertThrowsError(try Layer(kind: .prelu, tensors: tensors([LayerTensorSlot("weight", rank: 2)]), file: "m", field: "l")) {
            error in
            XCTAssertEqual("\(error)", "m: l: 'weight' of a PReLU must be 1-D, found shape (4, 4)")
        }
        XCTAssertThrowsError(try Layer(kind: .dropout, tensors: tensors([LayerTensorSlot("weight", rank: 1)]), file: "m", field: "l")) {
            error in
            XCTAssertEqual("\(error)", "m: l: a Dropout has no tensor 'weight'; it has none")
        }
        XCTAssertThrowsError(try Layer(kind: .linear, tensors: tensors(LayerKind.linear.tensors), eps: 1e-5, file: "m", field: "l"))
        XCTAssertNil(LayerKind(type: "ReLU"))
        XCTAssertNil(LayerKind.matching(["weight": 3]))
    }
}
