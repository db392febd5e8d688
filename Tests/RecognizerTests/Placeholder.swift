import Testing

@Test func placeholderRecognizer() {}
