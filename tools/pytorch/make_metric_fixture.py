"""scipy's answers for baid4j's metric code (committed fixture: baid-core/src/test/resources/metrics).

Writes cases.csv (case,truth,predicted) with ties in both columns, constant predictions and scores
on both sides of 5, and expected.csv (case,srcc,plcc,accuracy,balanced_accuracy,majority,mae,rmse)
from scipy.stats.spearmanr / pearsonr and numpy.
    python3 tools/pytorch/make_metric_fixture.py baid-core/src/test/resources/metrics
"""
import os
import sys

import numpy as np
from scipy import stats


def cases(rng):
    yield 'random', rng.uniform(0, 10, 200), rng.uniform(0, 10, 200)
    t = np.round(rng.uniform(2, 9, 300), 1)                 # many ties in truth
    yield 'ties', t, np.round(t + rng.normal(0, 1.5, 300), 0)  # heavy ties in predictions
    t = np.concatenate([rng.uniform(0, 5, 152), rng.uniform(5.01, 10, 48)])   # 76% at most 5
    yield 'imbalanced', t, np.clip(t * 0.3 + 3.5 + rng.normal(0, 0.4, 200), 0, 10)
    yield 'exact5', np.array([5.0, 5.0, 4.9, 5.1, 7, 3, 5.0, 6]), np.array([5.0, 5.1, 5.0, 4.9, 5, 5, 4.99, 5.01])


def main(out):
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(2023)
    with open(os.path.join(out, 'cases.csv'), 'w') as c, open(os.path.join(out, 'expected.csv'), 'w') as e:
        c.write('case,truth,predicted\n')
        e.write('case,srcc,plcc,accuracy,balanced_accuracy,majority,mae,rmse\n')
        for name, t, p in cases(rng):
            for a, b in zip(t, p):
                c.write('%s,%r,%r\n' % (name, float(a), float(b)))
            hi_t, hi_p = t > 5, p > 5
            recalls = [np.mean(hi_p[hi_t == s] == s) for s in (False, True) if np.any(hi_t == s)]
            e.write('%s,%r,%r,%r,%r,%r,%r,%r\n' % (
                name, stats.spearmanr(t, p).correlation, stats.pearsonr(t, p)[0], float(np.mean(hi_t == hi_p)),
                float(np.mean(recalls)), float(max(np.mean(hi_t), 1 - np.mean(hi_t))),
                float(np.mean(np.abs(t - p))), float(np.sqrt(np.mean((t - p) ** 2)))))
    print(open(os.path.join(out, 'expected.csv')).read())


if __name__ == '__main__':
    main(sys.argv[1])
