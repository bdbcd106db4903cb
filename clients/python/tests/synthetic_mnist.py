"""A tiny synthetic MNIST in memaudit's cache layout, for tests that must not download anything.

Class c is a bright horizontal bar at row 4 + 2c over faint noise: learnable within one short epoch.
"""

import struct

import numpy as np


def _write_idx(path, magic, array):
    with open(path, "wb") as f:
        f.write(struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in array.shape))
        f.write(array.astype(np.uint8).tobytes())


def write_synthetic_mnist(data_dir, n_train=256, n_test=64, seed=0):
    """Writes ``data_dir/mnist/package/data/{train,t10k}-{images-idx3,labels-idx1}-ubyte``."""
    base = data_dir / "mnist" / "package" / "data"
    base.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    for split, n in (("train", n_train), ("t10k", n_test)):
        labels = np.arange(n) % 10
        images = rng.integers(0, 40, size=(n, 28, 28))
        for i, label in enumerate(labels):
            images[i, 4 + 2 * label, 3:25] = 255
        _write_idx(base / f"{split}-images-idx3-ubyte", 2051, images)
        _write_idx(base / f"{split}-labels-idx1-ubyte", 2049, labels)
    return data_dir
