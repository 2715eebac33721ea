"""The UCI handwritten digits (8×8 images, 10 classes), shipped with the kit.

See `data/DIGITS.md` for provenance and licence. The loader checks the file's SHA-256 before
parsing it, so a truncated or altered copy is reported instead of silently giving wrong data.
"""
import gzip
import hashlib
from pathlib import Path

import numpy as np

PATH = Path(__file__).parent / "data" / "digits.csv.gz"
SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
N_SAMPLES, N_PIXELS, N_CLASSES = 1797, 64, 10


def load_digits(path=PATH, scale=True):
    """Load the digits as (X, y).

    X: float64, shape (1797, 64), one flattened 8×8 image per row, divided by 16 so pixels lie in
    [0, 1] when `scale` (raw counts 0..16 otherwise). y: int64, shape (1797,), the digits 0..9.
    """
    path = Path(path)
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256:
        raise ValueError(f"{path} is damaged or not the shipped digits file: its SHA-256 is "
                         f"{digest}, expected {SHA256}. Restore it from the kit's repository.")
    table = np.loadtxt(gzip.decompress(raw).decode("ascii").splitlines(), delimiter=",")
    X, y = table[:, :N_PIXELS], table[:, N_PIXELS].astype(np.int64)
    return (X / 16.0 if scale else X), y
