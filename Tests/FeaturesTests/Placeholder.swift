import Testing

@Test func placeholderFeatures() {}
