"""Writes Pillow's bilinear resize of two source images to a grid of target sizes, as PNGs.

Covers what the 224x224 fixtures do not: odd row lengths, an axis that keeps its size (Pillow
skips that pass), 1-pixel targets, upscaling and shrinking on one axis only. baid-data's
PillowResizeGridTest compares its resize against these, byte for byte.
    python3 tools/pytorch/make_resize_fixtures.py baid-data/src/test/resources/reference-resize-grid
"""
import os
import sys

import numpy as np
from PIL import Image

SOURCES = {'noise-61x47': (61, 47), 'strokes-300x211': (300, 211)}
TARGETS = [(224, 224), (1, 1), (7, 5), (60, 46), (122, 94), (17, 211), (300, 13), (61, 20), (9, 47), (301, 212)]


def source(name, w, h, rng):
    if name.startswith('noise'):
        return rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    y, x = np.mgrid[0:h, 0:w]
    img = np.stack([128 + 100 * np.sin(x / 9.0), 128 + 100 * np.cos(y / 5.0), 128 + 90 * np.sin((x + y) / 13.0)], -1)
    return np.clip(img + rng.normal(0, 20, img.shape), 0, 255).astype(np.uint8)


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(11)
    for name, (w, h) in SOURCES.items():
        img = Image.fromarray(source(name, w, h, rng), 'RGB')
        img.save(os.path.join(out, name + '.png'))
        for tw, th in TARGETS:
            if (tw, th) == (w, h):
                continue
            img.resize((tw, th), Image.BILINEAR).save(os.path.join(out, '%s-to-%dx%d.png' % (name, tw, th)))


if __name__ == '__main__':
    main(sys.argv[1])
