"""Writes a tensor bundle: one JSON header line, then the raw little-endian tensor data.

Header: {"tensors": [{"name", "dtype" (float32|int64), "shape", "offset", "count"}]}; offsets are
relative to the first byte after the header line. Read by Tests/TestSupport/TensorBundle.swift.
Optional extra top-level header keys (`extra`) describe a fixture; the reader ignores them.
"""
import json

import numpy as np

_DTYPES = {np.dtype("float32"): "float32", np.dtype("int64"): "int64"}


def write_bundle(path, tensors, extra=None):
    """tensors: list of (name, numpy array); extra: optional dict of further JSON header keys."""
    entries, blobs, offset = [], [], 0
    for name, array in tensors:
        array = np.ascontiguousarray(array)
        if array.dtype not in _DTYPES:
            raise ValueError(f"{name}: unsupported dtype {array.dtype}")
        data = array.astype(array.dtype.newbyteorder("<")).tobytes()
        entries.append({"name": name, "dtype": _DTYPES[array.dtype], "shape": list(array.shape),
                        "offset": offset, "count": int(array.size)})
        blobs.append(data)
        offset += len(data)
    with open(path, "wb") as f:
        f.write(json.dumps({"tensors": entries, **(extra or {})}).encode() + b"\n")
        for blob in blobs:
            f.write(blob)
