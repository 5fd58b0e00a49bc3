// Pass or fail per test from the xUnit XML report `swift test --xunit-output`
// writes: one <testcase classname="Target.Suite" name="function()"> per test
// (per argument, for a parameterised test), with a <failure> child when it
// failed. Read with a regular expression: the report is flat and small.
import Foundation

/// Pass or fail per test from an xUnit report, keyed Target.Suite/function().
public enum XUnitResults {
    public static func outcomes(_ xml: String) -> [String: Bool] {
        var result: [String: Bool] = [:]
        let pattern = #"<testcase\b([^>]*?)(/>|>(.*?)</testcase>)"#
        guard let regex = try? NSRegularExpression(pattern: pattern, options: [.dotMatchesLineSeparators]) else { return [:] }
        for match in regex.matches(in: xml, range: NSRange(xml.startIndex..., in: xml)) {
            guard let attributes = Range(match.range(at: 1), in: xml).map({ " " + String(xml[$0]) }),
                  let classname = attribute("classname", in: attributes), let name = attribute("name", in: attributes) else { continue }
            let body = Range(match.range(at: 3), in: xml).map { String(xml[$0]) } ?? ""
            let failed = body.contains("<failure") || body.contains("<error")
            let key = classname + "/" + name
            result[key] = (result[key] ?? true) && !failed   // a parameterised test passes only if every case does
        }
        return result
    }

    static func attribute(_ name: String, in text: String) -> String? {
        guard let range = text.range(of: " \(name)=\"") else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end]).replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
    }
}
