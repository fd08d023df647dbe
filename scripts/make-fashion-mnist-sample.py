#!/usr/bin/env python3
"""Makes nnlab's embedded dataset fashion-mnist-sample from the Fashion-MNIST IDX files.

The sample is the head of each split of the 2021-22 course's Fashion-MNIST split
(perm = RandomState(42).permutation(60000); dev = perm[:10000], train = perm[10000:];
test = the 10,000 test images): the first 4,000 train, 1,000 dev and 1,000 test images,
in that order. It is stored in the course's images layout (train_images, train_labels,
val_images, val_labels, test_images, test_labels; uint8 images of shape (n, 28, 28)),
so nnlab loads it as it loads octmnist.npz: pixels / 256.

The zip is written with a fixed entry date and maximum compression, so running the script
again gives the same bytes.

Usage: scripts/make-fashion-mnist-sample.py [IDX_FOLDER] [OUTPUT]
  IDX_FOLDER defaults to /usr/share/datasets/fashion-mnist (apt-get install dataset-fashion-mnist),
  OUTPUT to nnlab-core/src/main/resources/nnlab/data/fashion-mnist-sample.npz.
"""
import gzip
import io
import os
import sys
import zipfile

import numpy as np

TRAIN, DEV, TEST = 4000, 1000, 1000


def read_idx(folder, stem):
    for name, opener in ((stem, open), (stem + ".gz", gzip.open)):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            with opener(path, "rb") as f:
                data = f.read()
            ndim = data[3]
            shape = [int.from_bytes(data[4 + 4 * k:8 + 4 * k], "big") for k in range(ndim)]
            assert data[:3] == b"\0\0\x08", path + ": not an IDX file of unsigned bytes"
            return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)
    sys.exit("missing %s[.gz] in %s" % (stem, folder))


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        root, "nnlab-core/src/main/resources/nnlab/data/fashion-mnist-sample.npz")
    x = read_idx(folder, "train-images-idx3-ubyte")
    y = read_idx(folder, "train-labels-idx1-ubyte")
    x_test = read_idx(folder, "t10k-images-idx3-ubyte")
    y_test = read_idx(folder, "t10k-labels-idx1-ubyte")
    assert len(x) == 60000, "the course's split is defined for 60,000 training images, got %d" % len(x)
    perm = np.random.RandomState(42).permutation(60000)
    dev, train = perm[:10000][:DEV], perm[10000:][:TRAIN]
    arrays = {
        "train_images": x[train], "train_labels": y[train],
        "val_images": x[dev], "val_labels": y[dev],
        "test_images": x_test[:TEST], "test_labels": y_test[:TEST],
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for key, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(key + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buffer.getvalue(), compresslevel=9)
    print("%s: %d bytes; train %d, dev %d, test %d; first labels train %s dev %s test %s" % (
        out, os.path.getsize(out), len(train), len(dev), TEST,
        y[train[:10]].tolist(), y[dev[:10]].tolist(), y_test[:10].tolist()))


if __name__ == "__main__":
    main()
