import Testing

@Test func placeholderAudioIO() {}
