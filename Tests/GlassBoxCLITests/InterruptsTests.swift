import Foundation
import GlassBoxCore
import XCTest

@testable import glassbox

/// Ctrl-C during an export must never be lost: when `Interrupts.install` returns, SIGINT and
/// SIGTERM already have a handler. (A dispatch signal source, armed asynchronously after the
/// signals were set to SIG_IGN, lost 5% of the signals sent 35–60 ms into an export.)
final class InterruptsTests: XCTestCase {
    func testHandlersAreInPlaceWhenInstallReturns() {
        var savedInt = sigaction(), savedTerm = sigaction()
        sigaction(SIGINT, nil, &savedInt)
        sigaction(SIGTERM, nil, &savedTerm)
        defer {
            sigaction(SIGINT, &savedInt, nil)
            sigaction(SIGTERM, &savedTerm, nil)
        }

        Interrupts.install(token: CancellationToken())
        for sig in [SIGINT, SIGTERM] {
            var now = sigaction()
            sigaction(sig, nil, &now)
            let handler = unsafeBitCast(now.__sigaction_handler, to: Int.self)
            XCTAssertNotEqual(handler, unsafeBitCast(SIG_IGN, to: Int.self), "signal \(sig) is ignored")
            XCTAssertNotEqual(handler, unsafeBitCast(SIG_DFL, to: Int.self), "signal \(sig) has no handler")
        }
    }
}
