"""A randomised full SAAN checkpoint and the reference's scores for a folder of images.

Every parameter and BN statistic is random (the BN statistics calibrated on the images in training
mode and then perturbed, so that inference-mode activations stay in range), the non-local block's
W BN included; the last linear layer is rescaled so that the scores spread over the sigmoid's
range instead of saturating. Scores come from the reference's own pipeline: cv2.imread, PIL
bilinear resize, ToTensor, Normalize, model.eval(), x10.

    python3 tools/pytorch/make_saan_fixture.py OUT_DIR IMAGE_DIR [--seed 7]
writes OUT_DIR/saan-random.pth and OUT_DIR/expected-scores.csv (name,score with 6 decimals).
"""
import argparse
import csv
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import SAAN, preprocess  # noqa: E402


def randomise(model, gen):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.05)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.8 + 0.6)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
        # Attention logits of O(1): with fan-in-scaled weights the dot products over 768 channels
        # reach ~50 and the softmax is nearly one-hot, which amplifies float32 rounding ~70 times
        # (measured against float64), so the test would measure rounding, not the implementation.
        model.NLB.theta.weight.mul_(0.15)
        model.NLB.phi[0].weight.mul_(0.15)


def calibrate_and_perturb_bn(model, images, gen):
    """Running statistics from the images in training mode, then moved off them a little."""
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for bn in bns:
        bn.reset_running_stats()
        bn.momentum = None          # cumulative average over the calibration passes
    model.train()
    with torch.no_grad():
        model(images)
        model(torch.flip(images, dims=[3]))
    with torch.no_grad():
        for bn in bns:
            bn.momentum = 0.1
            std = bn.running_var.sqrt()
            bn.running_mean.add_(torch.randn(bn.running_mean.shape, generator=gen) * 0.1 * std)
            bn.running_var.mul_(torch.rand(bn.running_var.shape, generator=gen) * 0.45 + 0.8)
            bn.num_batches_tracked.fill_(1234)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('images')
    ap.add_argument('--seed', type=int, default=7)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    names = sorted(n for n in os.listdir(args.images) if not n.startswith('.'))
    batch = torch.stack([preprocess(os.path.join(args.images, n)) for n in names])

    model = SAAN()
    randomise(model, gen)
    calibrate_and_perturb_bn(model, batch, gen)
    model.eval()
    with torch.no_grad():
        x = model.NLB(torch.cat([model.pool(model.StyAes(batch)), model.GenAes(batch)], dim=1))
        hidden = model.predictor[:3](model.bn(model.avg(x)).flatten(1))
        logits = model.predictor[3](hidden).flatten()
        lo, hi = logits.min().item(), logits.max().item()
        scale = 5.0 / max(hi - lo, 1e-6)
        print('raw logits from %.4f to %.4f: last layer scaled by %.2f' % (lo, hi, scale))
        # z' = scale * (z - lo) - 2.5: the logits of these images span [-2.5, 2.5].
        last = model.predictor[3]
        last.weight.mul_(scale)
        last.bias.copy_(scale * last.bias - scale * lo - 2.5)
        scores = (model(batch).flatten() * 10).tolist()

    torch.save(model.state_dict(), os.path.join(args.out, 'saan-random.pth'))
    with open(os.path.join(args.out, 'expected-scores.csv'), 'w', newline='') as f:
        w = csv.writer(f)
        w.writerow(['name', 'score'])
        for n, s in zip(names, scores):
            w.writerow([n, '%.6f' % s])
    print('scores from %.3f to %.3f over %d images' % (min(scores), max(scores), len(scores)))


if __name__ == '__main__':
    main()
