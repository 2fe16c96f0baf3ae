#!/usr/bin/env python3
"""The 30 pretraining operations as the reference states them (pretraining_utils/operations.py and
pretrain_mani.py of the authors' code), restated here to make fixtures for baid4j's parity test.

For each image: cv.imread, cv.resize to SIDE x SIDE (INTER_LINEAR), then each operation; writes
OUT/<stem>/resized.png, OUT/<stem>/<NN>.png (lossless) and OUT/<stem>/jpeg.png (the resized image
after the reference's JPEG round trip: cv.imwrite of a .jpg at OpenCV's default quality 95, then
cv.imread). CutMix's partner is the next image of the list (the first for the last). Random
operations are seeded with --seed (numpy, random, OpenCV); their pixels cannot equal another
generator's, so the test checks what they must satisfy.

usage: degradations.py --out DIR [--side 224] [--seed 1] IMAGE...
"""
import argparse
import math
import os
import random

import cv2 as cv
import numpy as np


def stylization(image, sigma_s, sigma_r):
    return cv.stylization(image, sigma_s=sigma_s, sigma_r=sigma_r)


def pencil_sketch(image, sigma_s, sigma_r, shade_factor):
    _, colour = cv.pencilSketch(image, sigma_s=sigma_s, sigma_r=sigma_r, shade_factor=shade_factor)
    return colour


def gaussian_noise(image, sigma):
    x = image / 255 + np.random.normal(0, sigma, image.shape)
    return np.uint8(np.clip(x, 0, 1) * 255)


def quantisation(image, k):
    pixels = np.float32(image.reshape((-1, 3)))
    criteria = (cv.TERM_CRITERIA_EPS + cv.TERM_CRITERIA_MAX_ITER, 10, 1.0)
    _, label, centre = cv.kmeans(pixels, k, None, criteria, 10, cv.KMEANS_RANDOM_CENTERS)
    return np.uint8(centre)[label.flatten()].reshape(image.shape)


def gaussian_blur(image, sigma):
    return cv.GaussianBlur(image, (5, 5), sigma)


def crop_resize(image, factor):
    h, w, _ = image.shape
    return cv.resize(image[0:h - h // factor, 0:w - w // factor, :], (w, h))


def convex(image, factor):
    h, w, _ = image.shape
    cx, cy = h / 2, w / 2
    radius = math.sqrt(h ** 2 + w ** 2) / factor
    out = image.copy()
    for i in range(h):
        for j in range(w):
            d = math.sqrt((i - cx) ** 2 + (j - cy) ** 2)
            if d <= radius:
                out[i, j] = image[int(np.round(d / radius * (i - cx) + cx)), int(np.round(d / radius * (j - cy) + cy))]
    return out


def exposure(image, factor):
    return np.uint8(np.clip(image * factor, 0, 255))


def rotate(image, degrees):
    h, w = image.shape[:2]
    m = cv.getRotationMatrix2D((w / 2, h / 2), degrees, 0.8)
    return cv.warpAffine(src=image, M=m, dsize=(w, h), borderValue=(255, 255, 255))


def cutmix(image, partner, size):
    side = image.shape[0]
    size = size * side // 224
    a = random.randint(0, side - size - 1)
    b = random.randint(0, side - size - 1)
    out = image.copy()
    out[a:a + size, b:b + size, :] = partner[a:a + size, b:b + size, :]
    return out


OPERATIONS = (
    [lambda im, p, s=s: stylization(im, 50, s) for s in (0.6, 0.3, 0.1)]
    + [lambda im, p, s=s: gaussian_noise(im, s) for s in (0.2, 0.4, 0.8)]
    + [lambda im, p, f=f: crop_resize(im, f) for f in (4, 3, 2)]
    + [lambda im, p, k=k: quantisation(im, k) for k in (64, 32, 8)]
    + [lambda im, p, s=s: gaussian_blur(im, s) for s in (0.4, 0.8, 2)]
    + [lambda im, p, f=f: convex(im, f) for f in (8, 4, 2)]
    + [lambda im, p, s=s: pencil_sketch(im, 100, s, 0.02) for s in (0.1, 0.4, 0.6)]
    + [lambda im, p, f=f: exposure(im, f) for f in (1.5, 2.0, 2.5)]
    + [lambda im, p, s=s: cutmix(im, p, s) for s in (32, 64, 128)]
    + [lambda im, p: rotate(im, 45), lambda im, p: rotate(im, -45), lambda im, p: im.copy()]
)
assert len(OPERATIONS) == 30


def jpeg_round_trip(image, path):
    tmp = path + ".jpg"
    cv.imwrite(tmp, image)
    back = cv.imread(tmp)
    os.remove(tmp)
    return back


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--side", type=int, default=224)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("images", nargs="+")
    args = parser.parse_args()
    np.random.seed(args.seed)
    random.seed(args.seed)
    cv.setRNGSeed(args.seed)
    resized = [cv.resize(cv.imread(p), (args.side, args.side)) for p in args.images]
    for n, path in enumerate(args.images):
        stem = os.path.splitext(os.path.basename(path))[0]
        folder = os.path.join(args.out, stem)
        os.makedirs(folder, exist_ok=True)
        image = resized[n]
        partner = resized[(n + 1) % len(resized)]
        cv.imwrite(os.path.join(folder, "resized.png"), image)
        cv.imwrite(os.path.join(folder, "jpeg.png"), jpeg_round_trip(image, os.path.join(folder, "resized")))
        for op, operation in enumerate(OPERATIONS):
            cv.imwrite(os.path.join(folder, "%02d.png" % op), operation(image, partner))
    print(cv.__version__)


if __name__ == "__main__":
    main()
