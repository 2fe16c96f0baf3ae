"""The reference's training transform on two example images, flipped and not (committed fixture).

The training transform of the reference: cv2.imread, BGR->RGB, PIL, Resize((S, S)),
RandomHorizontalFlip, ToTensor, Normalize(ImageNet). The flip is forced (p=1) or skipped here, so
that baid-data's tensors can be compared value for value, as float32 bits.
    python3 tools/pytorch/make_transform_fixture.py examples/images baid-data/src/test/resources/reference-transform.pt
"""
import os
import sys

import cv2
import torch
import torchvision.transforms as T
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from saan_reference import IMAGENET_MEAN, IMAGENET_STD  # noqa: E402

SIZE = 64
NAMES = ['harbour-progressive.jpg', 'collage-alpha.png']


def main(images, out):
    record = {'size': SIZE}
    for name in NAMES:
        bgr = cv2.imread(os.path.join(images, name))
        img = Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
        for flip in (False, True):
            t = T.Compose([T.Resize((SIZE, SIZE)), T.RandomHorizontalFlip(p=1.0 if flip else 0.0),
                           T.ToTensor(), T.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
            record[name + (':flipped' if flip else ':plain')] = t(img)
    torch.save(record, out)
    print(out, os.path.getsize(out))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
