import unittest

import numpy as np
import torch

from memaudit_client.glyphs import FONT, insert_glyph


class FontTest(unittest.TestCase):
    def test_font_has_a_to_z_then_0_to_9_each_5x5(self):
        self.assertEqual("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", "".join(FONT))
        for letter, rows in FONT.items():
            self.assertEqual(5, len(rows), letter)
            self.assertTrue(all(len(r) == 5 and set(r) <= {"0", "1"} for r in rows), letter)

    def test_the_authors_a(self):
        self.assertEqual(("00100", "01010", "11111", "10001", "10001"), FONT["A"])


def _bitmap(letter):
    return np.array([[int(b) for b in row] for row in FONT[letter]], dtype=np.float32)


class InsertGlyphTest(unittest.TestCase):
    def test_overwrites_the_whole_square_on_every_channel(self):
        images = np.full((2, 3, 28, 28), 0.5, dtype=np.float32)
        result = insert_glyph(images, "A", row=1, col=1)
        self.assertIs(images, result)
        for n in range(2):
            for c in range(3):
                np.testing.assert_array_equal(_bitmap("A"), images[n, c, 1:6, 1:6])
        outside = images.copy()
        outside[:, :, 1:6, 1:6] = 0.5
        self.assertTrue(np.all(outside == 0.5), "pixels outside the square changed")

    def test_scale_makes_each_pixel_a_block(self):
        images = torch.full((1, 1, 32, 32), 0.5)
        insert_glyph(images, "Z", row=3, col=4, scale=3)
        expected = np.kron(_bitmap("Z"), np.ones((3, 3), dtype=np.float32))
        np.testing.assert_array_equal(expected, images[0, 0, 3:18, 4:19].numpy())
        self.assertEqual(0.5, float(images[0, 0, 2, 4]))
        self.assertEqual(0.5, float(images[0, 0, 18, 4]))

    def test_torch_tensor_in_place(self):
        images = torch.zeros(1, 1, 28, 28)
        self.assertIs(images, insert_glyph(images, "1"))
        np.testing.assert_array_equal(_bitmap("1"), images[0, 0, 1:6, 1:6].numpy())

    def test_fits_exactly_at_the_corner(self):
        insert_glyph(np.zeros((1, 1, 28, 28)), "A", row=23, col=23)

    def test_out_of_bounds_is_refused(self):
        for row, col, scale in ((24, 0, 1), (0, 24, 1), (-1, 0, 1), (20, 20, 2)):
            with self.subTest(row=row, col=col, scale=scale), self.assertRaises(ValueError) as raised:
                insert_glyph(np.zeros((1, 1, 28, 28)), "A", row=row, col=col, scale=scale)
            self.assertIn("does not fit in a 28x28 image", str(raised.exception))

    def test_bad_arguments(self):
        for kwargs, name in ((dict(letter="a"), "letter"), (dict(letter="A", scale=0), "scale"),
                             (dict(letter="A", row=1.0), "row")):
            with self.subTest(name=name), self.assertRaises(ValueError) as raised:
                insert_glyph(np.zeros((1, 1, 28, 28)), **kwargs)
            self.assertTrue(str(raised.exception).startswith(name), str(raised.exception))
        with self.assertRaisesRegex(ValueError, "images: expected a 4-D"):
            insert_glyph(np.zeros((28, 28)), "A")


if __name__ == "__main__":
    unittest.main()
