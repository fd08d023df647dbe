"""Writes the .npy/.npz/IDX fixtures that nnlab's data tests read, using numpy itself as the oracle.

Run once from anywhere with `python3 make_fixtures.py`; the files go to fixtures/ next to this script
and are committed. check_written.py imports pattern() from here, and the Java tests (NpyTest's
pattern()) compute the same values, so a reader that swaps bytes or axes gets different numbers.
"""
import gzip
import os
import struct

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "fixtures")
DTYPES = ["u1", "i1", "i2", "i4", "i8", "f4", "f8"]


def pattern(dtype, shape):
    """Element i is k = (37*i mod 200) - 100, scaled to use the type's range and bytes:
    u1 37*i mod 256, i1 k, i2 k*300, i4 k*20_000_000, i8 k*3_000_000_000, f4 and f8 k/3."""
    n = int(np.prod(shape, dtype=np.int64))
    i = np.arange(n, dtype=np.int64)
    k = (37 * i) % 200 - 100
    values = {
        "u1": (37 * i) % 256,
        "i1": k,
        "i2": k * 300,
        "i4": k * 20_000_000,
        "i8": k * 3_000_000_000,
        "f4": k / 3.0,
        "f8": k / 3.0,
    }[dtype]
    return values.astype(dtype).reshape(shape)


def save(name, array, **kwargs):
    np.save(os.path.join(OUT, name), array, **kwargs)


def write_idx(name, array, compress):
    codes = {"u1": 0x08, "i1": 0x09, "i2": 0x0B, "i4": 0x0C, "f4": 0x0D, "f8": 0x0E}
    data = struct.pack(">BBBB", 0, 0, codes[array.dtype.str[1:]], array.ndim)
    data += struct.pack(">" + "I" * array.ndim, *array.shape)
    data += array.astype(array.dtype.newbyteorder(">")).tobytes()
    with (gzip.open if compress else open)(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    shape = (2, 3, 4)
    for dtype in DTYPES:
        a = pattern(dtype, shape)
        save(f"{dtype}.npy", a)                                             # little-endian, C order
        save(f"{dtype}_be.npy", a.astype(a.dtype.newbyteorder(">")))       # big-endian ('|' for 1 byte)
        save(f"{dtype}_fortran.npy", np.asfortranarray(a))                  # first index fastest
    save("f8_be_fortran.npy", np.asfortranarray(pattern("f8", shape).astype(">f8")))
    save("bool.npy", np.array([True, False, True, True]))
    save("scalar.npy", np.array(3.5))                                       # 0-d: shape ()
    save("vector.npy", np.arange(5, dtype=np.int64))                        # 1-d: shape (5,)
    save("empty.npy", np.zeros((0, 3), dtype=np.float32))
    for version in [(2, 0), (3, 0)]:
        with open(os.path.join(OUT, f"v{version[0]}.npy"), "wb") as f:
            np.lib.format.write_array(f, pattern("f4", shape), version=version)
    # Refused: pickled objects, and dtypes nnlab does not read.
    save("object.npy", np.array([1, "two", None], dtype=object), allow_pickle=True)
    save("complex.npy", np.array([1 + 2j, 3 - 4j]))
    save("unicode.npy", np.array(["ab", "cd"]))
    save("structured.npy", np.zeros(2, dtype=[("x", "<f4"), ("y", "<i4")]))
    # Archives: keys in this order, one with dots as in checkpoints; a big-endian Fortran entry.
    arrays = {
        "Xtrain": pattern("f8", (3, 4)),
        "ytrain": pattern("i8", (3,)),
        "layers.0.weight": pattern("f4", (2, 3)),
        "odd": np.asfortranarray(pattern("i2", shape).astype(">i2")),
    }
    np.savez(os.path.join(OUT, "savez.npz"), **arrays)
    np.savez_compressed(os.path.join(OUT, "savez_compressed.npz"), **arrays)
    np.savez(os.path.join(OUT, "object.npz"), good=pattern("f8", (2,)), bad=np.array([{}, []], dtype=object))
    # IDX, written by hand from the format description, not by nnlab.
    write_idx("i4.idx", pattern("i4", shape), compress=False)
    write_idx("f8.idx.gz", pattern("f8", shape), compress=True)
    write_idx("u1-labels.idx", pattern("u1", (10,)), compress=False)


if __name__ == "__main__":
    main()
