"""Backbone checkpoints as users have them, and what the backbones compute with them.

Writes into OUT_DIR: pretrain.pth (the pretraining network: model.*), resnet50.pth (torchvision),
vgg19-features.pth (torchvision vgg19's features.* and its last classifier layer, the rest left
out for size), all with random weights and random BN statistics, and expected.pt with the
activations of GAB (layer3), SAB's content ResNet (layer2) and the VGG slice (relu4_1) for one
example image in inference mode, so that an import is checked by what the network computes.

    python3 tools/pytorch/make_backbone_fixtures.py OUT_DIR IMAGE [--size 64]
"""
import argparse
import collections
import os
import sys

import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import PretrainNetwork, preprocess, run_resnet_slice  # noqa: E402


def random_bn_statistics(model, gen):
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.8 + 0.6)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) + 0.5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('image')
    ap.add_argument('--size', type=int, default=64)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.manual_seed(11)
    gen = torch.Generator().manual_seed(11)
    x = preprocess(args.image, args.size).unsqueeze(0)

    pretrain = PretrainNetwork()
    random_bn_statistics(pretrain, gen)
    resnet = torchvision.models.resnet50()
    random_bn_statistics(resnet, gen)
    vgg = torchvision.models.vgg19()
    for m in (pretrain, resnet, vgg):
        m.eval()

    torch.save(pretrain.state_dict(), os.path.join(args.out, 'pretrain.pth'))
    torch.save(resnet.state_dict(), os.path.join(args.out, 'resnet50.pth'))
    vgg_state = collections.OrderedDict((k, v) for k, v in vgg.state_dict().items()
                                        if k.startswith('features.') or k.startswith('classifier.6.'))
    torch.save(vgg_state, os.path.join(args.out, 'vgg19-features.pth'))

    with torch.no_grad():
        expected = {
            'input': x,
            'gab_pretrain': run_resnet_slice(pretrain.model, x, 3),
            'content_pretrain': run_resnet_slice(pretrain.model, x, 2),
            'gab_resnet': run_resnet_slice(resnet, x, 3),
            'vgg': vgg.features[:21](x),
        }
    torch.save(expected, os.path.join(args.out, 'expected.pt'))
    print({k: tuple(v.shape) for k, v in expected.items()})


if __name__ == '__main__':
    main()
