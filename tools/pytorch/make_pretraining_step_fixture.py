"""Two steps of the reference's pretraining (pretraining.py), for the pretraining-step parity test.

The pretraining network (ResNet-50 to layer4, avgpool, dropout, Linear(2048, 30), softmax) with
every parameter and BN statistic randomised, dropout 0 so the steps are deterministic, whole
network in train mode, Adam (lr, betas 0.5/0.999, weight_decay 5e-4: coupled L2):
  step 1, before the ranking epoch: the degraded images only, the degradation loss;
  step 2, from the ranking epoch on: original, degraded, partner 1, partner 2 through the network in
  the reference's order, degradation loss + 0.1 x ranking loss.
Writes OUT/before.pth, OUT/grads1.pth, OUT/after1.pth, OUT/grads2.pth, OUT/after2.pth (state_dicts
and loss gradients before weight decay) and OUT/batch.pt {original, degraded, trp1, trp2, ops,
deg1, deg2, rank2}.
    python3 tools/pytorch/make_pretraining_step_fixture.py OUT [--size 64] [--batch 8] [--threads 1] [--double]
A random ResNet-50 trained through layer4 in training mode is ill-conditioned at small inputs
(BatchNorm over few values per channel): in float32 PyTorch's own gradients there move by up to 15%
between thread counts. --double makes the step's arithmetic, not float noise, what is compared.
"""
import argparse
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import PretrainNetwork, degradation_loss, ranking_loss  # noqa: E402

# Strengths 0, 1 and 2 of several families, and the three unranked operations.
OPS = [0, 4, 8, 27, 29, 14, 28, 19] * 4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--size', type=int, default=64)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--lr', type=float, default=1e-3)
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--double', action='store_true', help='float64 throughout: the step without float noise')
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    os.makedirs(a.out, exist_ok=True)
    torch.manual_seed(11)
    gen = torch.Generator().manual_seed(11)
    model = PretrainNetwork(dropout=0.0)
    dtype = torch.float64 if a.double else torch.float32
    model.to(dtype)
    with torch.no_grad():
        # The reference's initialisation (Kaiming normal, fan-out, for the convs; BN gamma ~ N(1, 0.02);
        # Linear ~ N(0, 0.02)), with the parts it leaves constant drawn too: BN beta, the Linear's
        # bias and the running statistics, so that no path starts at zero.
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan_out = m.weight.shape[0] * m.weight[0, 0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * (2.0 / fan_out) ** 0.5)
            elif isinstance(m, nn.Linear):
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * 0.02)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.02)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(1 + torch.randn(m.weight.shape, generator=gen) * 0.02)
                m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.02)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=gen) * 0.1)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) + 0.5)
    torch.save(model.state_dict(), os.path.join(a.out, 'before.pth'))
    ops = torch.tensor(OPS[:a.batch])
    images = {k: torch.randn(a.batch, 3, a.size, a.size, generator=gen, dtype=dtype) for k in ('original', 'degraded', 'trp1', 'trp2')}
    # The partners are the degraded image for operations 27-29, as the reference renders them.
    for i, op in enumerate(ops.tolist()):
        if op > 26:
            images['trp1'][i] = images['degraded'][i]
            images['trp2'][i] = images['degraded'][i]
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.5, 0.999), weight_decay=5e-4)
    record = dict(images)
    record['ops'] = ops

    # Step 1 (epoch < init_epoch): the degraded images only.
    opt.zero_grad()
    _, logits = model.features_and_probabilities(images['degraded'])
    deg = degradation_loss(ops, logits, a.batch)
    deg.backward()
    torch.save({k: p.grad.detach().clone() for k, p in model.named_parameters()}, os.path.join(a.out, 'grads1.pth'))
    opt.step()
    torch.save(model.state_dict(), os.path.join(a.out, 'after1.pth'))
    record['deg1'] = deg.detach()

    # Step 2 (epoch >= init_epoch): four passes in the reference's order, deg_weight 1, trp_weight 0.1.
    opt.zero_grad()
    f_o, _ = model.features_and_probabilities(images['original'])
    f_d, logits = model.features_and_probabilities(images['degraded'])
    f_1, _ = model.features_and_probabilities(images['trp1'])
    f_2, _ = model.features_and_probabilities(images['trp2'])
    deg = degradation_loss(ops, logits, a.batch)
    rank = ranking_loss(f_o, f_d, f_1, f_2, ops, a.batch)
    total = 1.0 * deg + 0.1 * rank
    total.backward()
    torch.save({k: p.grad.detach().clone() for k, p in model.named_parameters()}, os.path.join(a.out, 'grads2.pth'))
    opt.step()
    torch.save(model.state_dict(), os.path.join(a.out, 'after2.pth'))
    record['deg2'] = deg.detach()
    record['rank2'] = rank.detach() if torch.is_tensor(rank) else torch.tensor(float(rank))
    torch.save(record, os.path.join(a.out, 'batch.pt'))
    print('step 1: degradation %.6f; step 2: degradation %.6f, ranking %.6f' % (record['deg1'], record['deg2'], record['rank2']))


if __name__ == '__main__':
    main()
