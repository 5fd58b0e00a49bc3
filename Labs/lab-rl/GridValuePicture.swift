// A picture of what tabular learning found on a grid world (FrozenLake,
// CliffWalking): every cell coloured by its learned value
//   V(s) = max_a Q(s, a)            (viridis, colour bar on the right)
// with the number printed, the tile's letter (S start, H hole, C cliff,
// G goal), and an arrow for the greedy action argmax_a Q(s, a). Cells where
// the episode ends (holes, the goal) and cells the agent never stands on
// (the cliff, which throws it back to S) get no arrow: holes and the cliff are
// dark, the goal white; they are left out of the colour range, so that it
// spans the values of the cells where a choice is made. A cell whose actions
// all have the same value (never visited) shows a dot instead of an arrow.
import Foundation
import LabKit
import RL

struct GridValuePicture {
    /// A move on the grid, for drawing an arrow: columns to the right, rows down.
    struct Move {
        var dx: Int, dy: Int
        static let left = Move(dx: -1, dy: 0), down = Move(dx: 0, dy: 1), right = Move(dx: 1, dy: 0), up = Move(dx: 0, dy: -1)

        init(dx: Int, dy: Int) {
            self.dx = dx
            self.dy = dy
        }

        /// The move a FrozenLake action intends (on the slippery lake it happens a third of the time).
        init(_ action: FrozenLake.Action) {
            switch action {
            case .left: self = .left
            case .down: self = .down
            case .right: self = .right
            case .up: self = .up
            }
        }

        /// The move a CliffWalking action makes.
        init(_ action: CliffWalking.Action) {
            switch action {
            case .up: self = .up
            case .right: self = .right
            case .down: self = .down
            case .left: self = .left
            }
        }
    }

    /// What one cell shows.
    struct Cell {
        /// The tile letter, drawn when it is not a plain tile (nil).
        var letter: Character?
        /// True for holes and the cliff: drawn dark, no value, no arrow.
        var isDark: Bool
        /// True for the goal: drawn white, no value, no arrow.
        var isGoal: Bool
        var value: Double
        /// The greedy move, or nil when every action has the same value.
        var greedy: Move?
    }

    var title: String
    var rowCount: Int, columnCount: Int
    /// Row by row, as the states are numbered (s = row · columns + column).
    var cells: [Cell]
    /// The line under the grid that explains the letters.
    var legend: String

    /// FrozenLake: S, F, H, G from the map; actions 0 left, 1 down, 2 right, 3 up.
    static func frozenLake(_ lake: FrozenLake, q: QTable, title: String) -> GridValuePicture {
        let cells = (0..<lake.stateCount).map { s -> Cell in
            let tile = lake.tile(s)
            return Cell(letter: tile == "F" ? nil : tile, isDark: tile == "H", isGoal: tile == "G", value: q.maximum(s),
                        greedy: greedyMove(q, s) { Move(FrozenLake.Action(rawValue: $0)!) })
        }
        return GridValuePicture(title: title, rowCount: lake.rowCount, columnCount: lake.columnCount, cells: cells,
                                legend: "S start, H hole (dark), G goal; arrow: the greedy action argmax Q(s, a)")
    }

    /// CliffWalking: S and G at the bottom corners, the cliff between them; actions 0 up, 1 right, 2 down, 3 left.
    static func cliffWalking(q: QTable, title: String) -> GridValuePicture {
        let cells = (0..<(CliffWalking.rowCount * CliffWalking.columnCount)).map { s -> Cell in
            let letter: Character? = s == CliffWalking.start ? "S" : s == CliffWalking.goal ? "G" : CliffWalking.isCliff(s) ? "C" : nil
            return Cell(letter: letter, isDark: CliffWalking.isCliff(s), isGoal: s == CliffWalking.goal, value: q.maximum(s),
                        greedy: greedyMove(q, s) { Move(CliffWalking.Action(rawValue: $0)!) })
        }
        return GridValuePicture(title: title, rowCount: CliffWalking.rowCount, columnCount: CliffWalking.columnCount, cells: cells,
                                legend: "S start, C cliff (dark: -100 and back to S), G goal; arrow: the greedy action")
    }

    /// The move of argmax_a Q(s, a), or nil when all of Q(s, ·) are equal.
    static func greedyMove(_ q: QTable, _ s: Int, move: (Int) -> Move) -> Move? {
        let row = (0..<q.actionCount).map { q[s, $0] }
        return row.allSatisfy({ $0 == row[0] }) ? nil : move(q.greedyAction(s))
    }

    /// The range of the colour map: the values of the cells where a choice is made.
    var valueRange: ClosedRange<Double> {
        let shown = cells.filter { !$0.isDark && !$0.isGoal }.map(\.value)
        guard let lo = shown.min(), let hi = shown.max() else { return 0...1 }
        return lo < hi ? lo...hi : lo...(lo + 1)
    }

    /// A value as printed in its cell: two decimals for values below 1, fewer for larger ones.
    func label(_ value: Double) -> String {
        let largest = max(abs(valueRange.lowerBound), abs(valueRange.upperBound))
        return String(format: largest >= 10 ? "%.0f" : (largest >= 1 ? "%.1f" : "%.2f"), value)
    }

    func render() -> Canvas {
        let cell = min(120, 900 / columnCount, 640 / rowCount)
        let left = 24, top = 72, barGap = 24, barWidth = 22
        let gridWidth = cell * columnCount, gridHeight = cell * rowCount
        let range = valueRange
        let ticks = NiceTicks.within(range.lowerBound, range.upperBound, maxIntervals: 5)
        let tickLabels = NiceTicks.labels(forLinear: ticks)
        let labelWidth = tickLabels.map { BitmapFont.width(of: $0, scale: 2) }.max() ?? 0
        let width = max(left + gridWidth + barGap + barWidth + 10 + labelWidth + 24,
                        BitmapFont.width(of: title, scale: 2) + 2 * left, BitmapFont.width(of: legend, scale: 2) + 2 * left)
        var canvas = Canvas(width: width, height: top + gridHeight + 52)
        canvas.drawText(title, x: left, y: 18, scale: 2, bold: true)

        let valueScale = cells.map { BitmapFont.width(of: label($0.value), scale: 2) }.max()! + 8 <= cell ? 2 : 1
        for (s, content) in cells.enumerated() {
            let rect = PixelRect(x: left + (s % columnCount) * cell, y: top + (s / columnCount) * cell, width: cell, height: cell)
            let fill: RGBColor = content.isDark ? RGBColor(hex: 0x1B1B2A)
                : content.isGoal ? .white : ColorMap.viridis.color(of: content.value, in: range)
            let ink: RGBColor = content.isGoal ? .palette(2) : (fill.luminance < 0.5 ? .white : .ink)
            canvas.fillRect(rect, color: fill)
            let centreX = Double(rect.x) + Double(cell) / 2, centreY = Double(rect.y) + Double(cell) / 2 - Double(cell) / 12
            if content.isDark || content.isGoal {
                if let letter = content.letter {
                    canvas.drawText(String(letter), x: rect.x + cell / 2 + 1, y: rect.y + cell / 2, scale: max(2, cell / 30),
                                    color: content.isDark ? RGBColor(gray: 200) : ink, alignment: .center, anchor: .middle, bold: true)
                }
                if content.isGoal { canvas.strokeRect(rect.insetBy(2), color: .palette(2), thickness: 3) }
                continue
            }
            if let letter = content.letter {
                canvas.drawText(String(letter), x: rect.x + 6, y: rect.y + 6, scale: 2, color: ink, bold: true)
            }
            canvas.drawText(label(content.value), x: rect.x + cell / 2 + 1, y: rect.maxY - 6, scale: valueScale, color: ink,
                            alignment: .center, anchor: .baseline)
            if let move = content.greedy {
                drawArrow(on: &canvas, x: centreX, y: centreY, move: move, length: Double(cell) * 0.42, color: ink)
            } else {
                canvas.fillCircle(centerX: centreX, centerY: centreY, radius: 3, color: ink)
            }
        }
        // Thin white lines between the cells.
        for c in 1..<columnCount { canvas.fillRect(PixelRect(x: left + c * cell, y: top, width: 1, height: gridHeight), color: .white) }
        for r in 1..<rowCount { canvas.fillRect(PixelRect(x: left, y: top + r * cell, width: gridWidth, height: 1), color: .white) }
        canvas.strokeRect(PixelRect(x: left - 1, y: top - 1, width: gridWidth + 2, height: gridHeight + 2), color: .midGray)

        // The colour bar: high values at the top, with ticks.
        let bar = PixelRect(x: left + gridWidth + barGap, y: top, width: barWidth, height: gridHeight)
        for row in bar.y..<bar.maxY {
            let t = 1 - (Double(row - bar.y) + 0.5) / Double(bar.height)
            canvas.fillRect(PixelRect(x: bar.x, y: row, width: bar.width, height: 1), color: ColorMap.viridis.color(at: t))
        }
        canvas.strokeRect(bar, color: .midGray)
        for (tick, text) in zip(ticks, tickLabels) {
            let y = bar.maxY - Int(((tick - range.lowerBound) / (range.upperBound - range.lowerBound) * Double(bar.height)).rounded())
            canvas.fillRect(PixelRect(x: bar.maxX, y: y, width: 5, height: 1), color: .ink)
            canvas.drawText(text, x: bar.maxX + 9, y: y, scale: 2, color: .darkGray, anchor: .middle)
        }
        canvas.drawText("V(s)", x: bar.x + barWidth / 2, y: top - 22, scale: 2, alignment: .center)
        canvas.drawText(legend, x: left, y: top + gridHeight + 18, scale: 2, color: .darkGray)
        return canvas
    }

    /// A thick arrow through (x, y) pointing along `move`, with a two-stroke head.
    func drawArrow(on canvas: inout Canvas, x: Double, y: Double, move: Move, length: Double, color: RGBColor) {
        let dx = Double(move.dx), dy = Double(move.dy)
        let tipX = x + dx * length / 2, tipY = y + dy * length / 2
        let thickness = max(2, length / 12), head = length * 0.32
        canvas.drawLine(x0: x - dx * length / 2, y0: y - dy * length / 2, x1: tipX, y1: tipY, color: color, thickness: thickness)
        // The head's strokes go back from the tip at ±45°: back along the arrow, and out either side.
        for side in [-1.0, 1.0] {
            let backX = -dx * head + side * -dy * head, backY = -dy * head + side * dx * head
            canvas.drawLine(x0: tipX, y0: tipY, x1: tipX + backX, y1: tipY + backY, color: color, thickness: thickness)
        }
    }
}
