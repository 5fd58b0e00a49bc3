// Tests of LabKit/Report: the progress bar with a replayed clock, the JSON
// encoder (escaping, numbers, key order, layout) read back by
// JSONSerialization, and report.json written atomically.
import Foundation
import Testing
@testable import LabKit

/// A clock the test moves by hand, and a sink that keeps what the bar writes.
private final class Replay: @unchecked Sendable {
    var now = 100.0
    var written: [String] = []
}

private func bar(total: Int, terminal: Bool, replay: Replay, interval: Double = 5) -> ProgressBar {
    ProgressBar(total: total, label: "train", isTerminal: terminal, lineInterval: interval,
                clock: { replay.now }, output: { replay.written.append($0) })
}

@Suite struct ProgressBarTests {
    @Test func logModePrintsALineEveryIntervalAndAtTheEnd() {
        let replay = Replay()
        let progress = bar(total: 120, terminal: false, replay: replay)
        // 10 items per second for 12 seconds.
        for second in 1...12 {
            replay.now = 100 + Double(second)
            progress.update(completed: 10 * second, metrics: [("loss", 1 / Double(second))])
        }
        #expect(replay.written.count == 2)  // at 5 s and at 10 s
        let first = replay.written[0]
        #expect(first.hasSuffix("\n") && !first.contains("\r"))
        #expect(first.contains(" 50/120"))
        #expect(first.contains("10.0 it/s"))
        #expect(first.contains("0:05 elapsed"))
        #expect(first.contains("0:07 left"))        // 70 items at 10 per second
        #expect(first.contains("loss 0.2"))
        #expect(replay.written[1].contains("100/120") && replay.written[1].contains("0:02 left"))
        replay.now = 112.5
        progress.finish()
        #expect(replay.written.count == 3)
        #expect(replay.written[2].contains("120/120") && replay.written[2].contains("100%"))
        #expect(!replay.written[2].contains("left"))
        #expect(replay.written[2].contains("loss 0.08333"))  // the last metrics are kept
        // After finish nothing more is written.
        progress.update(completed: 120)
        progress.finish()
        #expect(replay.written.count == 3)
    }

    @Test func logModePrintsTheLastItemOnceWhenFinished() {
        let replay = Replay()
        let progress = bar(total: 3, terminal: false, replay: replay)
        for step in 1...3 {
            replay.now = 100 + 10 * Double(step)     // every update is past the 5 s interval
            progress.update(completed: step)
        }
        progress.finish()
        #expect(replay.written.count == 3)          // steps 1 and 2, then the final line once
        #expect(replay.written.filter { $0.contains(" 3/3") }.count == 1)
    }

    @Test func terminalModeRedrawsInPlaceAtMostTenTimesASecond() {
        let replay = Replay()
        let progress = bar(total: 1000, terminal: true, replay: replay)
        // An update every 10 ms for one second.
        for step in 1...100 {
            replay.now = 100 + Double(step) * 0.01
            progress.update(completed: step * 5)
        }
        #expect(replay.written.count >= 9 && replay.written.count <= 11, "\(replay.written.count) redraws in 1 s")
        #expect(replay.written.allSatisfy { $0.hasPrefix("\r") && $0.hasSuffix("\u{1B}[K") })
        progress.finish()
        #expect(replay.written.last!.hasSuffix("\u{1B}[K\n"))
    }

    @Test func rateAndTimeLeftArithmetic() {
        let replay = Replay()
        let progress = bar(total: 400, terminal: false, replay: replay)
        progress.update(completed: 100)
        // 100 items in 40 s: 2.5 items/s, 300 left → 120 s = 2:00.
        let line = progress.line(now: 140)
        #expect(line.contains("100/400") && line.contains(" 25%"))
        #expect(line.contains("2.50 it/s"))
        #expect(line.contains("0:40 elapsed") && line.contains("2:00 left"))
        #expect(line.contains("[######..................]"))  // 25% of 24 characters
        // Before any time has passed there is no rate and no estimate.
        let start = ProgressBar(total: 10, clock: { 5 }, output: { _ in })
        #expect(start.line(now: 5).contains("-- it/s") && start.line(now: 5).contains("--:-- left"))
        #expect(ProgressBar.formatDuration(7) == "0:07")
        #expect(ProgressBar.formatDuration(754) == "12:34")
        #expect(ProgressBar.formatDuration(3725) == "1:02:05")
        #expect(ProgressBar.formatRate(812.4) == "812" && ProgressBar.formatRate(0.0512) == "0.0512")
    }

    @Test func advanceAddsToTheCount() {
        let replay = Replay()
        let progress = bar(total: 3, terminal: false, replay: replay)
        progress.advance()
        progress.advance(by: 2)
        #expect(progress.completed == 3)
    }
}

@Suite struct JSONTests {
    /// Parses JSON text with Foundation's parser.
    func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    @Test func stringsAreEscaped() throws {
        let tricky = "quote \" backslash \\ newline \n tab \t return \r bell \u{07} unit \u{1F} nul \u{00} é 日本 🙂 /"
        let text = JSONValue.string(tricky).compactString
        #expect(text == "\"quote \\\" backslash \\\\ newline \\n tab \\t return \\r bell \\u0007 unit \\u001F nul \\u0000 é 日本 🙂 /\"")
        #expect(try parse(text) as? String == tricky)
        #expect(JSONValue.string("\u{08}\u{0C}").compactString == "\"\\b\\f\"")
    }

    @Test func keysKeepTheirOrder() throws {
        let record: JSONValue = ["workload": "W1", "impl": "mllab-blas", "threads": 1, "params": ["n": 1024],
                                 "seconds_median": 0.0123, "rate": ["gflops": 174.6], "quality": [:]]
        #expect(record.compactString == #"{"workload": "W1", "impl": "mllab-blas", "threads": 1, "params": {"n": 1024}, "seconds_median": 0.0123, "rate": {"gflops": 174.6}, "quality": {}}"#)
        // The same through the case constructors the bench runner uses, with .number for integers.
        let built = JSONValue.object([("z", .number(1)), ("a", .number(Double(1024))), ("m", .string("x"))])
        #expect(built.compactString == #"{"z": 1, "a": 1024, "m": "x"}"#)
        let parsed = try #require(try parse(record.compactString) as? [String: Any])
        #expect(parsed["threads"] as? Int == 1)
        #expect((parsed["rate"] as? [String: Any])?["gflops"] as? Double == 174.6)
        #expect(record["impl"] == "mllab-blas" && record["missing"] == nil)
    }

    @Test func numbers() throws {
        #expect(JSONValue.number(1024).compactString == "1024")
        #expect(JSONValue.number(-0.0).compactString == "0")
        #expect(JSONValue.number(0.0123).compactString == "0.0123")
        #expect(JSONValue.number(2.5e20).compactString == "2.5e+20")
        for x in [1e-5, 0.1, 6.02214076e23, -123.456] {
            #expect(try parse(JSONValue.number(x).compactString) as? Double == x, "\(x)")
        }
        // Shortest round-trip digits: the text reads back to the same Double. (Checked with
        // Double(String): Linux JSONSerialization turns 17-digit numbers into NSDecimalNumber,
        // whose doubleValue can be one ulp off.)
        for x in [1.0 / 3, 1e15 + 0.5, 0.1 + 0.2, -2.2250738585072014e-308] {
            #expect(Double(JSONValue.number(x).compactString) == x, "\(x)")
        }
        #expect(JSONValue(Float(0.1)).compactString == "0.1")
        #expect(JSONValue(UInt64(42)) == .integer(42))
        // Non-finite numbers: null by default, or Python's spellings as strings.
        let odd: JSONValue = [.number(.nan), .number(.infinity), .number(-.infinity)]
        #expect(odd.compactString == "[null, null, null]")
        #expect(odd.encoded(pretty: false, nonFinite: .strings) == #"["NaN", "Infinity", "-Infinity"]"#)
        #expect(try parse(odd.compactString) as? [NSNull] != nil)
    }

    @Test func prettyLayout() throws {
        let value: JSONValue = ["name": "mlp", "history": [0.9, 0.5, 0.25], "empty": [], "ok": true, "none": nil,
                                "layers": [["units": 128], ["units": 10]], "nested": ["a": ["b": 1]]]
        let expected = """
        {
          "name": "mlp",
          "history": [0.9, 0.5, 0.25],
          "empty": [],
          "ok": true,
          "none": null,
          "layers": [
            {
              "units": 128
            },
            {
              "units": 10
            }
          ],
          "nested": {
            "a": {
              "b": 1
            }
          }
        }
        """
        #expect(value.prettyString == expected)
        let parsed = try #require(try parse(value.prettyString) as? [String: Any])
        #expect(parsed["history"] as? [Double] == [0.9, 0.5, 0.25])
        #expect(parsed["none"] is NSNull)
    }

    @Test func reportKeysComeInTheFixedOrderThenExtras() throws {
        var report = JSONReport(lab: "trees", mode: "forest", seed: 7, data: "built-in", seconds: 1.25,
                                metrics: [("accuracy", .number(0.9))])
        report.set("n_trees", 100)
        report.setMetric("f1_macro", 0.88)
        report.setMetric("accuracy", 0.95)  // replaced in place, stays first
        report.set("note", "a \"quoted\" word")
        let text = report.text
        let order = ["\"lab\"", "\"mode\"", "\"seed\"", "\"data\"", "\"seconds\"", "\"metrics\"", "\"accuracy\"",
                     "\"f1_macro\"", "\"n_trees\"", "\"note\""].map { text.range(of: $0)!.lowerBound }
        #expect(order == order.sorted())
        #expect(text.hasSuffix("}\n"))
        let parsed = try #require(try parse(text) as? [String: Any])
        #expect(parsed["lab"] as? String == "trees" && parsed["seed"] as? Int == 7)
        #expect(parsed["seconds"] as? Double == 1.25)
        let metrics = try #require(parsed["metrics"] as? [String: Any])
        #expect(metrics["accuracy"] as? Double == 0.95 && metrics["f1_macro"] as? Double == 0.88)
        #expect(parsed["note"] as? String == "a \"quoted\" word")
    }

    @Test func reportIsWrittenAtomicallyAndReadsBack() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("mllab-report-tests-\(UInt32.random(in: 0...UInt32.max))", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var report = JSONReport(lab: "tensors", mode: "all", seed: 0)
        report.setMetric("loss", .nan)
        let url = folder.appendingPathComponent("out/report.json")  // folders are created
        try report.write(to: url)
        report.setMetric("loss", 0.5)
        try report.write(to: url.path)  // replaces the first
        #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["report.json"])
        let parsed = try #require(try parse(String(decoding: Data(contentsOf: url), as: UTF8.self)) as? [String: Any])
        #expect((parsed["metrics"] as? [String: Any])?["loss"] as? Double == 0.5)
        #expect(parsed["data"] as? String == "built-in")

        // A file where the folder should be: a DataError naming the report's path.
        let blocker = folder.appendingPathComponent("blocker")
        try Data("x".utf8).write(to: blocker)
        let bad = blocker.appendingPathComponent("report.json")
        do {
            try report.write(to: bad)
            Issue.record("writing under a regular file should fail")
        } catch {
            guard case .ioFailure(let path, _) = error else {
                Issue.record("expected ioFailure, got \(error)")
                return
            }
            #expect(path == bad.path)
        }
    }
}
