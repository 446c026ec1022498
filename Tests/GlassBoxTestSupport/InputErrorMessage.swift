import GlassBoxCore
import XCTest

/// The description of the `InputError` that `body` throws — a refusal as the user reads it;
/// fails the test when `body` succeeds or throws anything else.
public func inputErrorMessage(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        try body()
        XCTFail("accepted", file: file, line: line)
    } catch let error as InputError {
        return error.description
    } catch {
        XCTFail("not an InputError: \(error)", file: file, line: line)
    }
    return ""
}
