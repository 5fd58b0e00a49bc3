import Testing
@testable import Tensor
@Test func placeholderCompiles() { #expect(Tensor.zeros([2]).count == 2) }
