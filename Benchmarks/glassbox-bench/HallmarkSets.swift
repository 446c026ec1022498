/// A GMT of `count` hallmark-sized sets over `names`: 50–200 members each, drawn with a fixed
/// seed (every run draws the same sets), overlapping as MSigDB's hallmark sets do.
func hallmarkSizedSets(_ names: [String], count: Int) -> String {
    var seed: UInt64 = 15
    func next(_ bound: Int) -> Int {
        seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((seed >> 33) % UInt64(bound))
    }
    let d = names.count
    var text = ""
    for s in 0..<count {
        var members = Set<Int>()
        let size = min(d, 50 + next(151))
        while members.count < size { members.insert(next(d)) }
        text += (["SET_\(s)", "na"] + members.sorted().map { names[$0] }).joined(separator: "\t") + "\n"
    }
    return text
}
