print("FeatureBenchmark")
