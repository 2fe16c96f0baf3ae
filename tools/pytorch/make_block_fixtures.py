"""Writes the committed block-level parity fixtures of baid4j (small, randomised, both BN modes).

Each fixture is a torch.save() file (zip format), read back in Java by weights-import's own
checkpoint reader: {'state_dict', 'input', 'eval': {...}, 'train': {...}} where a mode holds the
output, the upstream gradient fed to backward ('grad_output'), the input gradient and the
parameter gradients keyed by state_dict name. Every parameter and BN statistic is randomised;
the non-local block's W BN (zero at init) too, so that the attention path counts.

    python3 tools/pytorch/make_block_fixtures.py weights-import/src/test/resources/fixtures
"""
import collections
import copy
import os
import sys

import torch
import torch.nn as nn
from torchvision.models.resnet import Bottleneck

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import AdaIN, NonLocalBlock, Head  # noqa: E402


def randomise(module, gen):
    """Every parameter and BN statistic random, at scales that keep activations O(1)."""
    with torch.no_grad():
        for name, m in module.named_modules():
            if isinstance(m, nn.Conv2d) or isinstance(m, nn.Linear):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (1.5 / fan_in) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.2)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.2)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) * 1.5 + 0.5)
                m.num_batches_tracked.fill_(7)


def run_mode(module, state, train, inputs, grad_output=None, labels=None):
    """Forward and backward in one BN mode from the given state; returns the record of the mode."""
    m = copy.deepcopy(module)
    m.load_state_dict(state)
    m.train(train)
    xs = [x.clone().requires_grad_(True) for x in inputs]
    out = m(*xs)
    rec = {'output': out.detach().clone()}
    if labels is not None:
        loss = nn.functional.mse_loss(out, labels)
        rec['loss'] = torch.tensor(loss.item())
        loss.backward()
    else:
        out.backward(grad_output)
        rec['grad_output'] = grad_output
    for i, x in enumerate(xs):
        rec['grad_input' if len(xs) == 1 else 'grad_input%d' % i] = x.grad.detach().clone()
    rec['grads'] = collections.OrderedDict((k, p.grad.detach().clone())
                                           for k, p in m.named_parameters() if p.grad is not None)
    if train:
        rec['state_after'] = collections.OrderedDict((k, v.detach().clone()) for k, v in m.state_dict().items())
    return rec


class Wrap(nn.Module):
    """Gives a block the reference's module path (NLB.*, layer2.*) in its state_dict."""

    def __init__(self, name, block):
        super().__init__()
        self.name = name
        setattr(self, name, block)

    def forward(self, *x):
        return getattr(self, self.name)(*x)


def main(out_dir):
    os.makedirs(out_dir, exist_ok=True)
    gen = torch.Generator().manual_seed(20230325)

    # AdaIN: parameter-free, identical in both modes.
    content = torch.randn(2, 4, 5, 6, generator=gen) * 1.5 + 0.3
    style = torch.randn(2, 4, 5, 6, generator=gen) * 0.7 - 0.2
    rec = run_mode(AdaIN(), {}, False, [content, style], torch.randn(2, 4, 5, 6, generator=gen))
    torch.save({'content': content, 'style': style, 'eval': rec}, os.path.join(out_dir, 'adain.pt'))

    # Non-local block, 8 channels (inter 4) on 6x6.
    nlb = Wrap('NLB', NonLocalBlock(8))
    randomise(nlb, gen)
    state = nlb.state_dict()
    x = torch.randn(3, 8, 6, 6, generator=gen)
    g = torch.randn(3, 8, 6, 6, generator=gen)
    torch.save({'state_dict': state, 'input': x,
                'eval': run_mode(nlb, state, False, [x], g), 'train': run_mode(nlb, state, True, [x], g)},
               os.path.join(out_dir, 'nonlocal.pt'))

    # A bottleneck stage in torchvision's layout: layer2 with a strided, downsampled first block.
    stage = nn.Sequential(
        Bottleneck(16, 8, stride=2, downsample=nn.Sequential(nn.Conv2d(16, 32, 1, stride=2, bias=False),
                                                             nn.BatchNorm2d(32))),
        Bottleneck(32, 8))
    stage = Wrap('layer2', stage)
    randomise(stage, gen)
    state = stage.state_dict()
    x = torch.randn(2, 16, 8, 8, generator=gen)
    g = torch.randn(2, 32, 4, 4, generator=gen)
    torch.save({'state_dict': state, 'input': x,
                'eval': run_mode(stage, state, False, [x], g), 'train': run_mode(stage, state, True, [x], g)},
               os.path.join(out_dir, 'stage.pt'))

    # The head on 8 channels of 4x4, hidden 16; dropout 0 so that training mode is deterministic.
    head = Head(8, hidden=16, dropout=0.0)
    randomise(head, gen)
    state = head.state_dict()
    x = torch.randn(4, 8, 4, 4, generator=gen)
    labels = torch.rand(4, 1, generator=gen)
    torch.save({'state_dict': state, 'input': x, 'labels': labels,
                'eval': run_mode(head, state, False, [x], labels=labels),
                'train': run_mode(head, state, True, [x], labels=labels)},
               os.path.join(out_dir, 'head.pt'))
    for f in sorted(os.listdir(out_dir)):
        print(f, os.path.getsize(os.path.join(out_dir, f)), 'bytes')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'fixtures')
