"""Writes the reference's resized pixels for each example image, as lossless RGB PNGs.

The reference path: cv2.imread (BGR, EXIF applied) -> RGB -> PIL Image.resize((224, 224), BILINEAR),
which is what torchvision's Resize((224, 224)) does on a PIL image. baid-data's tests compare
its decoder and Pillow-exact resize against these, pixel for pixel.
    python3 tools/pytorch/make_preprocessing_fixtures.py examples/images baid-data/src/test/resources/reference-resized
"""
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import resized_uint8  # noqa: E402


def main(images, out, size=224):
    os.makedirs(out, exist_ok=True)
    for name in sorted(os.listdir(images)):
        pixels = resized_uint8(os.path.join(images, name), size)
        Image.fromarray(pixels, 'RGB').save(os.path.join(out, name + '.png'))
        print(name, pixels.shape)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
