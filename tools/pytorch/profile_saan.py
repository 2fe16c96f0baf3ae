"""Where a training step of the reference SAAN spends its time and memory, by part of the paper's
figure: the table StepProfile prints for baid4j, from torch.profiler.

Forward time: the operators run inside each part's modules (module hooks open a record_function
scope per part; the innermost part owns an operator). Backward time: each autograd node's
evaluate_function, attributed to the part whose forward operator made the node (same
sequence number). Activations: the bytes autograd saves for the backward pass inside each part
(saved_tensors_hooks), each storage counted once, the parameters left out. Median over --steps profiled steps after warm-up.
    python3 tools/pytorch/profile_saan.py [--size 224] [--batch 8] [--steps 3] [--threads N] [--json]
(`baid bench --profile --pytorch` runs it beside baid4j's StepProfile.)
"""
import argparse
import collections
import json
import os
import statistics
import sys
import time

import torch
from torch.autograd.profiler import record_function

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import SAAN  # noqa: E402

PARTS = ['input layout', 'GAB', 'VGG', 'SAB content', 'AdaIN', 'fusion', 'non-local block', 'head', 'updater']
PREFIX = 'part:'


def part_modules(model):
    """(module, part) for the modules that make up each part; inner modules win over outer ones."""
    sab = model.StyAes
    content = [sab.model.conv1, sab.model.bn1, sab.model.relu, sab.model.maxpool, sab.model.layer1, sab.model.layer2]
    return ([(model.GenAes, 'GAB'), (sab, 'AdaIN'), (model.pool, 'AdaIN'), (sab.vgg, 'VGG')]
            + [(m, 'SAB content') for m in content]
            + [(model.NLB, 'non-local block'), (model.avg, 'head'), (model.bn, 'head'), (model.predictor, 'head')])


class Scopes:
    """Module hooks that keep a stack of parts and a record_function scope open for each."""

    def __init__(self, model):
        self.stack = []
        for module, part in part_modules(model):
            module.register_forward_pre_hook(self.enter(part))
            module.register_forward_hook(self.leave)

    def enter(self, part):
        def hook(module, inputs):
            scope = record_function(PREFIX + part)
            scope.__enter__()
            self.stack.append((part, scope))
        return hook

    def leave(self, module, inputs, output):
        part, scope = self.stack.pop()
        scope.__exit__(None, None, None)

    def current(self):
        return self.stack[-1][0] if self.stack else None


def owner(event):
    """The innermost part scope around a profiler event, or None."""
    e = event.cpu_parent
    while e is not None:
        if e.name.startswith(PREFIX):
            return e.name[len(PREFIX):]
        e = e.cpu_parent
    return None


def top_level_part(event):
    # Operators outside every part's modules: the concatenation is the fusion, the rest the head's
    # (flatten, sigmoid, the loss).
    return 'fusion' if event.name == 'aten::cat' else 'head'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--steps', type=int, default=3)
    ap.add_argument('--threads', type=int, default=0)
    ap.add_argument('--json', action='store_true')
    a = ap.parse_args()
    torch.set_num_threads(a.threads or os.cpu_count())
    torch.manual_seed(1)
    model = SAAN()
    model.train()
    scopes = Scopes(model)
    x = (torch.rand(a.batch, 3, a.size, a.size) - 0.5) * 4
    y = torch.rand(a.batch, 1)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.Adam(params, lr=1e-5, betas=(0.5, 0.999), weight_decay=5e-4)
    loss_fn = torch.nn.MSELoss()
    saved = collections.Counter()
    seen = set()
    weights = {q.data_ptr() for q in model.parameters()}   # saved too (a Linear keeps its weight), not activations

    def pack(t):
        key = (t.untyped_storage().data_ptr() if hasattr(t, 'untyped_storage') else t.storage().data_ptr())
        if key not in seen and t.data_ptr() not in weights:
            seen.add(key)
            saved[scopes.current() or 'head'] += t.numel() * t.element_size()
        return t

    def step():
        with record_function(PREFIX + 'updater'):
            opt.zero_grad()
        with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
            loss = loss_fn(model(x), y)
        loss.backward()
        with record_function(PREFIX + 'updater'):
            opt.step()

    for _ in range(2):
        step()
    plain = []
    for _ in range(a.steps):
        t = time.perf_counter()
        step()
        plain.append((time.perf_counter() - t) * 1e3)
    forward = {p: [] for p in PARTS}
    backward = {p: [] for p in PARTS}
    for _ in range(a.steps):
        saved.clear()
        seen.clear()
        with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
            step()
        fwd = collections.Counter()
        bwd = collections.Counter()
        part_of_sequence = {}
        events = prof.events()
        for e in events:
            if e.name.startswith(PREFIX) or e.name.startswith('autograd::engine'):
                continue
            parent = e.cpu_parent
            if parent is not None and not parent.name.startswith(PREFIX):
                continue   # counted within its caller
            part = owner(e) or top_level_part(e)
            if part == 'updater':
                bwd[part] += e.cpu_time_total / 1e3
                continue
            fwd[part] += e.cpu_time_total / 1e3
            for sub in [e] + list(descendants(e)):
                if sub.sequence_nr >= 0:
                    part_of_sequence.setdefault(sub.sequence_nr, part)
        for e in events:
            if e.name.startswith('autograd::engine::evaluate_function'):
                part = part_of_sequence.get(e.sequence_nr, 'head' if 'AccumulateGrad' not in e.name else 'updater')
                bwd[part] += e.cpu_time_total / 1e3
        for p in PARTS:
            forward[p].append(fwd[p])
            backward[p].append(bwd[p])
    rows = [{'part': p, 'forward_ms': statistics.median(forward[p]), 'backward_ms': statistics.median(backward[p]),
             'activations_mb': saved[p] / 1e6, 'parameters_mb': parameters_mb(model, p)} for p in PARTS]
    result = {'framework': 'pytorch ' + torch.__version__, 'size': a.size, 'batch': a.batch, 'steps': a.steps,
              'threads': torch.get_num_threads(), 'parts': rows, 'step_ms': statistics.median(plain)}
    lines = ['pytorch training step, %dx%d, batch %d, median of %d steps' % (a.size, a.size, a.batch, a.steps),
             '%-18s %12s %12s %14s %14s' % ('part', 'forward ms', 'backward ms', 'activations MB', 'parameters MB')]
    for r in rows:
        lines.append('%-18s %12.1f %12.1f %14.1f %14.1f' % (r['part'], r['forward_ms'], r['backward_ms'],
                                                         r['activations_mb'], r['parameters_mb']))
    lines.append('%-18s %25.1f' % ('sum of the parts', sum(r['forward_ms'] + r['backward_ms'] for r in rows)))
    lines.append('%-18s %25.1f' % ('step, unprofiled', result['step_ms']))
    result['table'] = '\n'.join(lines)
    print(json.dumps(result) if a.json else result['table'])


def descendants(event):
    for c in event.cpu_children:
        yield c
        yield from descendants(c)


def parameters_mb(model, part):
    """Parameters by part; trainable ones with their gradient and Adam's two moments."""
    if part in ('AdaIN', 'input layout', 'fusion', 'updater'):
        return 0.0   # no parameters of their own (StyAes holds VGG's and the content ResNet's)
    modules = [m for m, p in part_modules(model) if p == part]
    total = 0
    for m in modules:
        for p in m.parameters():
            total += p.numel() * 4 * (4 if p.requires_grad else 1)
    return total / 1e6


if __name__ == '__main__':
    main()
