"""Runs an ONNX file once with onnxruntime on one CPU thread, at a chosen graph optimization level
(the fixture scripts' reference outputs)."""
import onnxruntime as ort


def run(path, feeds, outputs, level):
    """The named outputs of `path` for `feeds`; `level` is an ort.GraphOptimizationLevel."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.graph_optimization_level = level
    session = ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
    return session.run(outputs, feeds)
