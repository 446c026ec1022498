import GlassBoxTUI
import XCTest
@testable import GlassBoxExplorer

/// Drives the reducer as the main loop does and checks every step exhaustively, like the
/// Composable Architecture's `TestStore`: `send` names the command, the effects it must emit
/// (in order) and the change it must make to the state — any other change fails the test.
///
///     let store = TestStore(ExplorerState(hasLabels: true), context)
///     store.send(.cycleColorMode, effects: [.requestContributionColumn(0)]) {
///         $0.colorMode = .contribution
///         $0.colorFeature = 0
///     }
final class TestStore {
    private(set) var state: ExplorerState
    var context: ExplorerContext

    init(_ state: ExplorerState, _ context: ExplorerContext) {
        self.state = state
        self.context = context
    }

    /// Reduces `command`; `change` turns the previous state into the expected one.
    func send(
        _ command: Command, effects: [Effect] = [], file: StaticString = #filePath, line: UInt = #line,
        _ change: (inout ExplorerState) -> Void = { _ in }
    ) {
        var expected = state
        change(&expected)
        let (next, emitted) = reduce(state, command, context)
        if next != expected {
            XCTFail("\(command): state differs from the expected change:\n\(Self.difference(next, expected))", file: file, line: line)
        }
        if emitted != effects {
            XCTFail("\(command): emitted \(emitted), expected \(effects)", file: file, line: line)
        }
        state = next
    }

    /// A key press, routed by the state's mode as the main loop does; fails when the key
    /// means nothing in that mode.
    func press(
        _ key: Key, effects: [Effect] = [], file: StaticString = #filePath, line: UInt = #line,
        _ change: (inout ExplorerState) -> Void = { _ in }
    ) {
        guard let command = InputRouter.command(for: .key(key), state: state) else {
            return XCTFail("\(key) means nothing here", file: file, line: line)
        }
        send(command, effects: effects, file: file, line: line, change)
    }

    /// The fields that differ, one line each: "sample: 3, expected 2".
    static func difference(_ actual: ExplorerState, _ expected: ExplorerState) -> String {
        zip(Mirror(reflecting: actual).children, Mirror(reflecting: expected).children).compactMap { a, e in
            let (av, ev) = (String(describing: a.value), String(describing: e.value))
            return av == ev ? nil : "  \(a.label ?? "?"): \(av), expected \(ev)"
        }.joined(separator: "\n")
    }
}
