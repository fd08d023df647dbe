"""Checks, with numpy.load, files that nnlab wrote (run by NumpyInteropTest).

Usage: python3 check_written.py MANIFEST
Each manifest line is: file <TAB> key (- for a .npy) <TAB> dtype <TAB> shape (comma-separated, empty for 0-d).
Every array must have exactly the dtype, shape and values of make_fixtures.pattern; .npz keys must
come in manifest order. Prints one line per problem and exits 1 if there is any, else prints OK.
"""
import sys

import numpy as np

from make_fixtures import pattern


def main(manifest):
    problems = []
    keys = {}
    with open(manifest) as f:
        lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    for path, key, dtype, shape_text in lines:
        shape = tuple(int(s) for s in shape_text.split(",") if s)
        if key == "-":
            array = np.load(path)  # allow_pickle is False by default
        else:
            keys.setdefault(path, []).append(key)
            with np.load(path) as archive:
                array = archive[key]
        expected = pattern(dtype, shape)
        what = f"{path} [{key}]"
        if array.dtype != expected.dtype:
            problems.append(f"{what}: dtype {array.dtype.str}, expected {expected.dtype.str}")
        elif array.shape != expected.shape:
            problems.append(f"{what}: shape {array.shape}, expected {expected.shape}")
        elif not np.array_equal(array, expected):
            problems.append(f"{what}: values {array.ravel()[:6]}, expected {expected.ravel()[:6]}")
    for path, expected_keys in keys.items():
        with np.load(path) as archive:
            if archive.files != expected_keys:
                problems.append(f"{path}: keys {archive.files}, expected {expected_keys}")
    print("\n".join(problems) if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
