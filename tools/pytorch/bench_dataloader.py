"""PyTorch DataLoader throughput with the reference's training transform, for `baid bench`.

The reference's dataset: cv2.imread, BGR->RGB, PIL, Resize((S, S)), RandomHorizontalFlip,
ToTensor, Normalize(ImageNet); batches via torch.utils.data.DataLoader. Prints one JSON object.
    python3 tools/pytorch/bench_dataloader.py IMAGE_DIR [--batch 32] [--workers 0] [--epochs 3] [--size 224]
--workers 0 loads in the main process: one core, the per-core figure.
"""
import argparse
import json
import os
import sys
import time

import cv2
import torch
import torchvision.transforms as T
from PIL import Image
from torch.utils.data import DataLoader, Dataset

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import IMAGENET_MEAN, IMAGENET_STD  # noqa: E402


class Images(Dataset):
    def __init__(self, files, size):
        self.files = files
        self.t = T.Compose([T.Resize((size, size)), T.RandomHorizontalFlip(), T.ToTensor(),
                            T.Normalize(IMAGENET_MEAN, IMAGENET_STD)])

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        bgr = cv2.imread(self.files[i])
        return self.t(Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))), torch.tensor([0.5])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('images')
    ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--workers', type=int, default=0)
    ap.add_argument('--epochs', type=int, default=3)
    ap.add_argument('--size', type=int, default=224)
    a = ap.parse_args()
    torch.set_num_threads(1)
    cv2.setNumThreads(1)
    files = sorted(os.path.join(a.images, f) for f in os.listdir(a.images) if f.lower().endswith(('.jpg', '.jpeg')))
    loader = DataLoader(Images(files, a.size), batch_size=a.batch, shuffle=True, num_workers=a.workers,
                        persistent_workers=a.workers > 0)
    for _ in loader:   # warm-up epoch (page cache, worker start)
        pass
    start = time.perf_counter()
    images = batches = 0
    for _ in range(a.epochs):
        for x, _y in loader:
            images += x.shape[0]
            batches += 1
    seconds = time.perf_counter() - start
    cores = max(1, a.workers)
    print(json.dumps({'loader': 'pytorch', 'images': images, 'seconds': round(seconds, 3),
                      'images_per_s': round(images / seconds, 2), 'batches_per_s': round(batches / seconds, 3),
                      'cores': cores, 'images_per_s_per_core': round(images / seconds / cores, 2),
                      'batch': a.batch, 'torch': torch.__version__}))


if __name__ == '__main__':
    main()
