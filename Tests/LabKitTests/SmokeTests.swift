import Testing
@testable import LabKit
@Test func placeholderCompiles() { #expect(Tensor.ones([3]).count == 3) }
