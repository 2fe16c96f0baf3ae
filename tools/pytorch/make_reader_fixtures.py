"""Small checkpoints that exercise weights-import's torch.save reader (committed fixtures).

dtypes-and-views.pt: tensors of float32/float64/float16/bfloat16/int64, views with a storage offset,
non-contiguous strides (a transpose, a step slice) sharing one storage, a nested training-style
checkpoint ({'epoch', 'args': argparse.Namespace, 'state_dict': ...}) with DataParallel's
"module." prefix; each tensor's expected values are stored beside it as plain Python lists.
legacy.pt: the pre-1.6 (non-zip) format, which the reader must refuse with a clear message.
    python3 tools/pytorch/make_reader_fixtures.py weights-import/src/test/resources/fixtures
"""
import argparse
import collections
import os
import sys

import torch


def main(out):
    os.makedirs(out, exist_ok=True)
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6) / 8 - 1
    tensors = collections.OrderedDict([
        ('float32', base.clone()),
        ('float64', base.double() * 3.25),
        ('float16', (base * 0.5).half()),
        ('bfloat16', (base * 1.5).bfloat16()),
        ('int64', torch.tensor([-3, 0, 7, 2 ** 40], dtype=torch.int64)),
        ('offset_view', base[1:3]),            # storage offset 6, shares base's storage
        ('transposed', base.t()),              # strides (1, 6)
        ('step_slice', base[:, ::2]),          # strides (6, 2)
        ('scalar', torch.tensor(2.5)),
    ])
    expected = {k: v.float().tolist() if v.is_floating_point() else v.tolist() for k, v in tensors.items()}
    ns = argparse.Namespace(lr=1e-5, batch_size=64)
    state = collections.OrderedDict(('module.' + k, v) for k, v in tensors.items())
    torch.save({'epoch': 99, 'args': ns, 'state_dict': state, 'expected': expected},
               os.path.join(out, 'dtypes-and-views.pt'))
    torch.save({'w': base}, os.path.join(out, 'legacy.pt'), _use_new_zipfile_serialization=False)
    for f in ('dtypes-and-views.pt', 'legacy.pt'):
        print(f, os.path.getsize(os.path.join(out, f)))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else 'fixtures')
