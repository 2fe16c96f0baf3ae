"""Loads a SAAN state_dict as the reference's code does (load_state_dict(strict=True): every key
present, none extra, every shape right) and scores a folder of images with the reference's
pipeline (cv2.imread, PIL bilinear resize, ToTensor, Normalize, model.eval(), x10).

    python3 tools/pytorch/score_saan_checkpoint.py OUT_DIR CHECKPOINT IMAGE_DIR [--leaky]
writes OUT_DIR/scores.csv (name,score with 6 decimals); the variant is read from the keys.
"""
import argparse
import csv
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import SAAN, preprocess  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('checkpoint')
    ap.add_argument('images')
    ap.add_argument('--leaky', action='store_true')
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    state = torch.load(args.checkpoint, map_location='cpu')
    gab = any(k.startswith('GenAes.') for k in state)
    sab = any(k.startswith('StyAes.') for k in state)
    variant = 'full' if gab and sab else 'without-gab' if sab else 'without-sab'
    model = SAAN(variant, leaky=args.leaky)
    model.load_state_dict(state, strict=True)
    model.eval()
    names = sorted(n for n in os.listdir(args.images) if not n.startswith('.'))
    batch = torch.stack([preprocess(os.path.join(args.images, n)) for n in names])
    with torch.no_grad():
        scores = (model(batch).flatten() * 10).tolist()
    with open(os.path.join(args.out, 'scores.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['name', 'score'])
        for n, s in zip(names, scores):
            w.writerow([n, '%.6f' % s])
    print('%s: %d tensors loaded strictly (%s), %d images scored' % (args.checkpoint, len(state), variant, len(names)))


if __name__ == '__main__':
    main()
