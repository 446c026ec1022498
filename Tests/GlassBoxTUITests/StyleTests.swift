import XCTest
@testable import GlassBoxTUI

final class StyleTests: XCTestCase {
    func testPatchLayersColoursAndModifiers() {
        let base = Style(fg: .red, bg: .blue, modifiers: [.bold, .underline])
        let patched = base.patch(Style(fg: .green).removing(.bold).adding(.reverse))
        XCTAssertEqual(patched.fg, .green)
        XCTAssertEqual(patched.bg, .blue)
        XCTAssertEqual(patched.modifiers, [.underline, .reverse])
        XCTAssertEqual(base.patch(Style()), base)
        XCTAssertEqual(Style().fg(.red).bg(.blue).bold, Style(fg: .red, bg: .blue, modifiers: .bold))
    }

    func testRGBMapsToNearest256Index() {
        XCTAssertEqual(Color.rgb(255, 0, 0), .indexed(196))
        XCTAssertEqual(Color.rgb(0, 0, 0), .indexed(16))
        XCTAssertEqual(Color.rgb(255, 255, 255), .indexed(231))
        XCTAssertEqual(Color.rgb(128, 128, 128), .indexed(244))  // grey ramp beats the cube
        XCTAssertEqual(Color.rgb(0, 135, 255), .indexed(33))
        XCTAssertEqual(Color.indexed(33).rgbValue, RGB(0, 135, 255))
    }

    func testDowngradeTo8Colours() {
        XCTAssertEqual(Color.indexed(196).basic8, .red)
        XCTAssertEqual(Color.indexed(46).basic8, .green)
        XCTAssertEqual(Color.indexed(21).basic8, .blue)
        XCTAssertEqual(Color.indexed(226).basic8, .yellow)
        XCTAssertEqual(Color.indexed(208).basic8, .red)  // orange keeps its dominant channel
        XCTAssertEqual(Color.indexed(30).basic8, .cyan)  // teal
        XCTAssertEqual(Color.indexed(232).basic8, .black)  // dark grey
        XCTAssertEqual(Color.indexed(250).basic8, .white)  // light grey
        XCTAssertEqual(Color.brightRed.basic8, .red)
        XCTAssertEqual(Color.magenta.basic8, .magenta)
        XCTAssertEqual(Color.default.basic8, .default)

        let s = Style(fg: .indexed(196), bg: .indexed(21), modifiers: .bold).downgraded(to: .basic8)
        XCTAssertEqual(s, Style(fg: .red, bg: .blue, modifiers: .bold))
        XCTAssertEqual(s.downgraded(to: .indexed256), s)
    }

    func testDowngradeKeepsTextReadableWhenColoursCollapse() {
        // Light grey on white: both become white in 8 colours, so the text turns black.
        let s = Style(fg: .indexed(252), bg: .indexed(255)).downgraded(to: .basic8)
        XCTAssertEqual(s.bg, .white)
        XCTAssertEqual(s.fg, .black)
    }

    func testNoColorKeepsModifiersAndTurnsBackgroundsIntoReverse() {
        XCTAssertEqual(Style(fg: .red, modifiers: .bold).downgraded(to: .none), Style(modifiers: .bold))
        XCTAssertEqual(Style(fg: .black, bg: .cyan).downgraded(to: .none), Style(modifiers: .reverse))
        XCTAssertEqual(Style(bg: .default).downgraded(to: .none), Style())
    }

    func testCapabilityDetection() {
        XCTAssertEqual(ColorCapability.detect(colors: 256, environment: [:]), .indexed256)
        XCTAssertEqual(ColorCapability.detect(colors: 8, environment: [:]), .basic8)
        XCTAssertEqual(ColorCapability.detect(colors: 0, environment: [:]), .none)
        XCTAssertEqual(ColorCapability.detect(colors: 256, environment: ["NO_COLOR": "1"]), .none)
        XCTAssertEqual(ColorCapability.detect(colors: 256, environment: ["NO_COLOR": ""]), .indexed256)
    }

    func testGradientEndpointsAndFallbacks() {
        let v = Gradient.viridis
        XCTAssertEqual(v.rgb(at: 0), RGB(hex: 0x440154))
        XCTAssertEqual(v.rgb(at: 1), RGB(hex: 0xFDE725))
        XCTAssertEqual(v.rgb(at: -3), v.rgb(at: 0))
        XCTAssertEqual(v.rgb(at: .nan), v.rgb(at: 0))
        XCTAssertEqual(v.color(at: 0), .rgb(0x44, 0x01, 0x54))
        XCTAssertEqual(v.color(at: 1), .indexed(220))
        XCTAssertEqual(v.color(at: 0, capability: .basic8), .magenta)
        XCTAssertEqual(v.color(at: 1, capability: .basic8), .yellow)
        XCTAssertEqual(v.color(at: 0.5, capability: .none), .default)

        let d = Gradient.blueWhiteRed
        XCTAssertEqual(d.rgb(at: 0.5), RGB(hex: 0xF7F7F7))
        XCTAssertEqual(d.color(at: 0, capability: .basic8), .blue)
        XCTAssertEqual(d.color(at: 0.5, capability: .basic8), .white)
        XCTAssertEqual(d.color(at: 1, capability: .basic8), .red)

        let p = v.palette(count: 5)
        XCTAssertEqual(p.count, 5)
        XCTAssertEqual(p.first, v.color(at: 0))
        XCTAssertEqual(p.last, v.color(at: 1))
    }
}
