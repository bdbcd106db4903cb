"""The 5x5 glyph font and glyph insertion, identical to memaudit's Java ``Glyphs``.

A trainer that plants a glyph must write exactly the pixels the audit worker writes into its probe
images, or the audit measures a different feature from the one the model saw. A Java test parses
``FONT`` below and checks it equals the Java font, so keep its literal format: one entry per
character, five strings of ``0``/``1`` (1 = white), A-Z then 0-9.
"""

GLYPH_SIZE = 5

FONT = {
    "A": ("00100", "01010", "11111", "10001", "10001"),
    "B": ("11110", "10001", "11110", "10001", "11110"),
    "C": ("01111", "10000", "10000", "10000", "01111"),
    "D": ("11110", "10001", "10001", "10001", "11110"),
    "E": ("11111", "10000", "11110", "10000", "11111"),
    "F": ("11111", "10000", "11110", "10000", "10000"),
    "G": ("01111", "10000", "10011", "10001", "01111"),
    "H": ("10001", "10001", "11111", "10001", "10001"),
    "I": ("11111", "00100", "00100", "00100", "11111"),
    "J": ("00111", "00010", "00010", "10010", "01100"),
    "K": ("10001", "10010", "11100", "10010", "10001"),
    "L": ("10000", "10000", "10000", "10000", "11111"),
    "M": ("10001", "11011", "10101", "10001", "10001"),
    "N": ("10001", "11001", "10101", "10011", "10001"),
    "O": ("01110", "10001", "10001", "10001", "01110"),
    "P": ("11110", "10001", "11110", "10000", "10000"),
    "Q": ("01110", "10001", "10101", "10010", "01101"),
    "R": ("11110", "10001", "11110", "10010", "10001"),
    "S": ("01111", "10000", "01110", "00001", "11110"),
    "T": ("11111", "00100", "00100", "00100", "00100"),
    "U": ("10001", "10001", "10001", "10001", "01110"),
    "V": ("10001", "10001", "10001", "01010", "00100"),
    "W": ("10001", "10001", "10101", "11011", "10001"),
    "X": ("10001", "01010", "00100", "01010", "10001"),
    "Y": ("10001", "01010", "00100", "00100", "00100"),
    "Z": ("11111", "00010", "00100", "01000", "11111"),
    "0": ("01110", "10011", "10101", "11001", "01110"),
    "1": ("00100", "01100", "00100", "00100", "01110"),
    "2": ("11110", "00001", "01110", "10000", "11111"),
    "3": ("11110", "00001", "00110", "00001", "11110"),
    "4": ("10010", "10010", "11111", "00010", "00010"),
    "5": ("11111", "10000", "11110", "00001", "11110"),
    "6": ("01110", "10000", "11110", "10001", "01110"),
    "7": ("11111", "00001", "00010", "00100", "00100"),
    "8": ("01110", "10001", "01110", "10001", "01110"),
    "9": ("01110", "10001", "01111", "00001", "01110"),
}


def check_letter(letter):
    """Returns ``letter`` if the font has it, else raises a ValueError listing what it has."""
    if not isinstance(letter, str) or letter not in FONT:
        raise ValueError(f"letter: {letter!r} is not in the 5x5 font; allowed: A-Z, 0-9")
    return letter


def check_glyph_fits(letter, row, col, scale, height, width):
    """Raises ValueError unless the ``(5*scale)``-pixel square at (``row``, ``col``) fits the image.

    A trainer should call this even when it plants no glyph (a twin run), because the audit writes
    the same glyph into its probe images and rejects a feature that does not fit.
    """
    check_letter(letter)
    for name, value in (("row", row), ("col", col), ("scale", scale)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{name}: expected an integer, got {value!r}")
    if scale < 1:
        raise ValueError(f"scale: must be >= 1, got {scale}")
    side = GLYPH_SIZE * scale
    if row < 0 or col < 0 or row + side > height or col + side > width:
        raise ValueError(f"glyph {letter!r} ({side}x{side} at row {row}, col {col}) does not fit in a "
                         f"{height}x{width} image")


def insert_glyph(images, letter, row=1, col=1, scale=1):
    """Writes the glyph into every image of a batch, in place, and returns the batch.

    ``images`` is a float numpy array or torch tensor ``[N, C, H, W]`` in [0, 1] space, i.e. before
    normalisation, because that is where the worker writes its features too. The glyph overwrites
    its whole ``(5*scale) x (5*scale)`` square with its top-left corner at (``row``, ``col``), on
    every channel: 0-pixels become 0.0 (black), 1-pixels 1.0 (white); each glyph pixel becomes a
    ``scale x scale`` block. Only scalar slice assignments are used, so neither numpy nor torch has
    to be imported here.
    """
    if getattr(images, "ndim", None) != 4:
        raise ValueError(f"images: expected a 4-D [N, C, H, W] array, got shape "
                         f"{tuple(getattr(images, 'shape', ()))}")
    check_glyph_fits(letter, row, col, scale, images.shape[2], images.shape[3])
    for r, bits in enumerate(FONT[letter]):
        top = row + r * scale
        for c, bit in enumerate(bits):
            left = col + c * scale
            images[:, :, top:top + scale, left:left + scale] = 1.0 if bit == "1" else 0.0
    return images
