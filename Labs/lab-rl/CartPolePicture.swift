// CartPole frames drawn as Gymnasium's renderer draws them, one small panel
// per chosen time step, joined side by side into a strip.
// World to pixels: the track shows x ∈ [−2.4, 2.4] m across the panel, at s
// pixels per metre; the cart is 0.4 m × 0.24 m (Gymnasium's 50 × 30 pixels at
// 125 px/m), the pole 2 · 0.5 = 1 m long and hinged on the cart's top at
//   pivot = (x_px, top),   tip = pivot + s · 1 m · (sin θ, −cos θ)
// (y grows downwards on the canvas), so a positive θ leans the pole to the
// right, as in Gymnasium.
import Foundation
import LabKit
import RL

enum CartPolePicture {
    static let panelWidth = 260, panelHeight = 150
    static let cartWidth = 0.4, cartHeight = 0.24, poleThickness = 0.08
    static let poleColor = RGBColor(red: 202, green: 152, blue: 101)
    static let axleColor = RGBColor(red: 129, green: 132, blue: 203)

    /// One frame: the track, the cart at `state.x` and the pole at `state.theta`, captioned with the time step.
    static func panel(_ state: CartPoleState, step: Int) -> Canvas {
        var canvas = Canvas(width: panelWidth, height: panelHeight)
        let margin = 18.0
        let scale = (Double(panelWidth) - 2 * margin) / (2 * CartPole.positionLimit)
        func pixelX(_ x: Double) -> Double { Double(panelWidth) / 2 + x * scale }
        let trackY = Double(panelHeight) - 34

        // The track, with ticks at its ends (±2.4 m, where the episode ends) and at the centre.
        canvas.drawLine(x0: 4, y0: trackY, x1: Double(panelWidth) - 4, y1: trackY, color: .ink, thickness: 1.5)
        for x in [-CartPole.positionLimit, 0, CartPole.positionLimit] {
            canvas.drawLine(x0: pixelX(x), y0: trackY - 4, x1: pixelX(x), y1: trackY + 4,
                            color: x == 0 ? .midGray : RGBColor.palette(3), thickness: 1.5)
        }

        // The cart, centred on the track, and the pole from the middle of its top.
        let cartX = pixelX(state.x)
        let cartW = cartWidth * scale, cartH = cartHeight * scale
        let cart = PixelRect(x: Int((cartX - cartW / 2).rounded()), y: Int((trackY - cartH / 2).rounded()),
                             width: Int(cartW.rounded()), height: Int(cartH.rounded()))
        canvas.fillRect(cart, color: .ink)
        let pivotY = Double(cart.y)
        let length = 2 * CartPole.halfPoleLength * scale
        canvas.drawLine(x0: cartX, y0: pivotY, x1: cartX + length * sin(state.theta), y1: pivotY - length * cos(state.theta),
                        color: poleColor, thickness: max(3, poleThickness * scale))
        canvas.fillCircle(centerX: cartX, centerY: pivotY, radius: max(2, poleThickness * scale / 2), color: axleColor)

        // Captions: the time step above, the position and angle below.
        canvas.drawText("t=\(step)", x: panelWidth / 2, y: 6, scale: 2, alignment: .center, bold: true)
        let degrees = state.theta * 180 / Double.pi
        canvas.drawText(String(format: "x %+.2f m  angle %+.1f°", state.x, degrees), x: panelWidth / 2,
                        y: panelHeight - 16, scale: 1, color: .darkGray, alignment: .center)
        canvas.strokeRect(canvas.bounds, color: .lightGray)
        return canvas
    }

    /// The time steps of `count` frames spread evenly over an episode of `states` states, first and last included.
    static func frameSteps(states: Int, count: Int) -> [Int] {
        let k = min(count, states)
        guard k > 1 else { return [0] }
        return (0..<k).map { Int((Double($0) * Double(states - 1) / Double(k - 1)).rounded()) }
    }

    /// `frames` panels of `episode` side by side under a title.
    static func strip(_ episode: CartPoleEpisode, frames: Int, title: String) -> Canvas {
        let panels = frameSteps(states: episode.states.count, count: frames).map { panel(episode.states[$0], step: $0) }
        let row = Canvas.sideBySide(panels, gap: 6)
        let titleBand = 34
        var canvas = Canvas(width: max(row.width, BitmapFont.width(of: title, scale: 2) + 16), height: row.height + titleBand)
        canvas.drawText(title, x: 8, y: 10, scale: 2, bold: true)
        canvas.draw(row, x: 0, y: titleBand)
        return canvas
    }
}
