"""Paints the small artwork-like images the repository ships in examples/images (deterministic).

They cover what a scorer meets: JPEG (baseline, progressive, EXIF-rotated), PNG (RGB, greyscale,
palette, RGBA, 16-bit), BMP; shrinking, enlarging and exact-size resizes.
    python3 tools/make_example_images.py examples/images
"""
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter


def painting(w, h, seed, strokes=140):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([
        120 + 100 * np.sin(x / w * np.pi * rng.uniform(0.5, 2) + rng.uniform(0, 6)),
        120 + 100 * np.cos(y / h * np.pi * rng.uniform(0.5, 2) + rng.uniform(0, 6)),
        120 + 90 * np.sin((x + y) / (w + h) * np.pi * rng.uniform(1, 3)),
    ], axis=-1)
    img = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), 'RGB')
    d = ImageDraw.Draw(img)
    for _ in range(strokes):
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        dx, dy = rng.normal(0, w / 6), rng.normal(0, h / 6)
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        d.line([(x0, y0), (x0 + dx, y0 + dy)], fill=colour, width=int(rng.integers(2, 14)))
        if rng.uniform() < 0.3:
            r = rng.uniform(3, w / 10)
            d.ellipse([x0 - r, y0 - r, x0 + r, y0 + r], fill=colour)
    img = img.filter(ImageFilter.GaussianBlur(0.8))
    noise = rng.normal(0, 6, (h, w, 3))
    return Image.fromarray(np.clip(np.asarray(img) + noise, 0, 255).astype(np.uint8), 'RGB')


def main(out):
    os.makedirs(out, exist_ok=True)
    painting(640, 427, 1).save(os.path.join(out, 'sunset-strokes.jpg'), quality=90)
    painting(500, 333, 2).save(os.path.join(out, 'harbour-progressive.jpg'), quality=85, progressive=True)
    painting(120, 900, 3, 60).save(os.path.join(out, 'tall-scroll.jpg'), quality=92)
    # Stored landscape with EXIF orientation 6: decoders that honour EXIF show it rotated to portrait.
    exif = Image.Exif()
    exif[0x0112] = 6
    painting(320, 240, 4).save(os.path.join(out, 'portrait-exif-rotated.jpg'), quality=90, exif=exif.tobytes())
    painting(300, 500, 5).save(os.path.join(out, 'brushwork.png'))
    painting(256, 200, 6).convert('L').save(os.path.join(out, 'charcoal-grey.png'))
    painting(150, 150, 7, 40).convert('P', palette=Image.ADAPTIVE, colors=32).save(os.path.join(out, 'poster-palette.png'))
    rgba = painting(400, 300, 8).convert('RGBA')
    alpha = Image.fromarray((np.linspace(40, 255, 400)[None, :].repeat(300, 0)).astype(np.uint8), 'L')
    rgba.putalpha(alpha)
    rgba.save(os.path.join(out, 'collage-alpha.png'))
    painting(224, 224, 9).save(os.path.join(out, 'mosaic.bmp'))
    # 16-bit RGB PNG, written with OpenCV (PIL cannot write 16-bit colour).
    import cv2
    deep = np.asarray(painting(260, 180, 10)).astype(np.uint16) * 257 + np.random.default_rng(11).integers(0, 257, (180, 260, 3)).astype(np.uint16)
    cv2.imwrite(os.path.join(out, 'deep-16bit.png'), cv2.cvtColor(deep, cv2.COLOR_RGB2BGR))
    for f in sorted(os.listdir(out)):
        print(f, os.path.getsize(os.path.join(out, f)))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'examples/images')
