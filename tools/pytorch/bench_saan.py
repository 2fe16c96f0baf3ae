"""SAAN inference and training throughput in PyTorch, the same measurement as `baid bench`.

Full SAAN (saan_reference.py), random input of the given size, inference in eval mode under
no_grad, training steps of Adam (lr 1e-5, betas 0.5/0.999, weight decay 5e-4) on MSE in train
mode; median over --runs timed runs after warm-up, and the process's peak resident memory. One
measurement per process (`baid bench` starts one for each), so that the peak is that work's alone;
cold_s is the time from loading torch to the first output. Prints one JSON object.
    python3 tools/pytorch/bench_saan.py --mode inference|train [--size 224] [--batch 8] [--runs 5] [--threads N]
"""
import argparse
import json
import os
import statistics
import sys
import time

_START = time.perf_counter()   # cold start: from loading torch to the first output, as baid4j's and ONNX Runtime's
import torch  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import SAAN  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--size', type=int, default=224)
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--threads', type=int, default=0, help='intra-op threads (default: all cores)')
    ap.add_argument('--mode', choices=['inference', 'train'], required=True)
    a = ap.parse_args()
    torch.set_num_threads(a.threads or os.cpu_count())
    torch.manual_seed(1)
    model = SAAN()
    x = (torch.rand(a.batch, 3, a.size, a.size) - 0.5) * 4
    y = torch.rand(a.batch, 1)

    if a.mode == 'inference':
        model.eval()

        def work():
            with torch.no_grad():
                model(x)
    else:
        model.train()
        params = [p for p in model.parameters() if p.requires_grad]
        opt = torch.optim.Adam(params, lr=1e-5, betas=(0.5, 0.999), weight_decay=5e-4)
        loss_fn = torch.nn.MSELoss()

        def work():
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()

    work()
    cold = time.perf_counter() - _START
    work()
    seconds = []
    for _ in range(a.runs):
        t = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - t)
    print(json.dumps({'framework': 'pytorch ' + torch.__version__, 'mode': a.mode, 'size': a.size, 'batch': a.batch,
                      'threads': torch.get_num_threads(),
                      'img_per_s': a.batch / statistics.median(seconds),
                      'peak_rss_mb': peak_rss_mb(), 'cold_s': cold}))


def peak_rss_mb():
    # VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a large process reports its parent's.
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return round(int(line.split()[1]) / 1024, 1)
    return None


if __name__ == '__main__':
    main()
