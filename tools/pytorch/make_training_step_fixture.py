"""One training step of the reference, for the training-step parity test (made at test time).

A full SAAN at a small input size with every parameter and BN statistic randomised (nothing left
at zero, so that weight decay gives every gradient a sign), head dropout 0 so the step is
deterministic; in train mode (BN on batch statistics, the frozen GAB's statistics moving too), one
Adam step (lr, betas 0.5/0.999, weight_decay 5e-4: coupled L2) on MSE against score / 10.
Writes OUT/before.pth, OUT/after.pth (state_dicts), OUT/grads.pth (the loss gradients, before weight
decay) and OUT/batch.pt {x, y, loss, output}.
    python3 tools/pytorch/make_training_step_fixture.py OUT [--size 64] [--lr 1e-3] [--threads 1] [--double]
Random deep networks in training mode are ill-conditioned (training-mode BN subtracts nearly equal
terms): PyTorch's own gradients move by up to a few percent with the number of threads, so the
test compares against two PyTorch runs and holds DL4J to PyTorch's own spread. --double makes the
step's arithmetic, not float noise, what is compared: an implementation that rounds differently
(another convolution algorithm) flips ReLUs and max-pools on near ties in float32.
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import SAAN  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--batch', type=int, default=4)
    ap.add_argument('--threads', type=int, default=1, help='intra-op threads: PyTorch with 1 and with 2 shows its own spread')
    ap.add_argument('--double', action='store_true', help='float64 throughout: the step without float noise')
    a = ap.parse_args()
    dtype = torch.float64 if a.double else torch.float32
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(5)
    gen = torch.Generator().manual_seed(5)
    model = SAAN(dropout=0.0)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (1.0 / m.weight[0].numel()) ** 0.5)
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.05)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.rand(m.weight.shape, generator=gen) * 0.8 + 0.6)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) + 0.5)
        model.NLB.theta.weight.mul_(0.15)
        model.NLB.phi[0].weight.mul_(0.15)
    model.to(dtype)
    torch.save(model.state_dict(), os.path.join(a.out, 'before.pth'))

    x = torch.randn(a.batch, 3, a.size, a.size, generator=gen).to(dtype)
    y = (torch.rand(a.batch, 1, generator=gen) * 0.8 + 0.1).to(dtype)
    model.train()
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=a.lr, betas=(0.5, 0.999), weight_decay=5e-4)
    opt.zero_grad()
    out = model(x)
    loss = nn.functional.mse_loss(out, y)
    loss.backward()
    grads = {k: p.grad.detach().clone() for k, p in model.named_parameters() if p.grad is not None}
    opt.step()
    torch.save(model.state_dict(), os.path.join(a.out, 'after.pth'))
    torch.save({'x': x, 'y': y, 'loss': loss.detach(), 'output': out.detach()}, os.path.join(a.out, 'batch.pt'))
    torch.save(grads, os.path.join(a.out, 'grads.pth'))
    print('loss %.6f, outputs %s' % (loss.item(), out.detach().flatten().tolist()))


if __name__ == '__main__':
    main()
