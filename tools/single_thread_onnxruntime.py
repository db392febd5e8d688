"""Runs an ONNX file once with onnxruntime on one CPU thread, at a chosen graph optimization level
(the fixture scripts' reference outputs)."""
import onnxruntime as ort


def session(path, level=ort.GraphOptimizationLevel.ORT_ENABLE_ALL):
    """An onnxruntime session of `path` on one CPU thread; `level` is an ort.GraphOptimizationLevel
    (default: onnxruntime's own default, ORT_ENABLE_ALL, as sherpa-onnx runs it)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.graph_optimization_level = level
    return ort.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])


def run(path, feeds, outputs, level):
    """The named outputs of `path` for `feeds`; `level` is an ort.GraphOptimizationLevel."""
    return session(path, level).run(outputs, feeds)


def cpu_profile():
    """This CPU's onnxruntime profile, named as the runtime's ReferenceArithmetic (fixtures record it):
    MLAS blocks NCHWc convolutions and softmax sums by 16 with AVX512F, and sums uint8 x int8
    products exactly with VNNI (in int16 pairs without)."""
    with open("/proc/cpuinfo") as f:
        flags = set(next(line for line in f if line.startswith("flags")).split(":")[1].split())
    profile = "avx512" if "avx512f" in flags else "avx2"
    return profile + ("-vnni" if flags & {"avx512_vnni", "avx_vnni"} else "")
