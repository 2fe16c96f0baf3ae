"""The benchmark problems of TpeAgainstOptunaTest, run through Optuna's own samplers.

Prints one JSON object: {problem: [best value found in TRIALS trials, one per seed]} for the
chosen sampler (Optuna's TPESampler with its defaults, or its RandomSampler). The problems and
their spaces are stated here and in the test in the same words; change both together.

    /usr/bin/python3 tools/optuna/tpe_benchmarks.py --sampler tpe --trials 50 --seeds 20
"""
import argparse
import json
import math

import optuna


def branin(trial):
    # x2 on a log scale: x2 + 1 in [1, 16].
    x1 = trial.suggest_float("x1", -5.0, 10.0)
    x2 = trial.suggest_float("x2p1", 1.0, 16.0, log=True) - 1.0
    a, b, c, r, s, t = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi, 6.0, 10.0, 1 / (8 * math.pi)
    return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * math.cos(x1) + s


HARTMANN_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
HARTMANN_P = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
              [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]]
HARTMANN_ALPHA = [1.0, 1.2, 3.0, 3.2]


def hartmann6(trial):
    x = [trial.suggest_float("x%d" % i, 0.0, 1.0) for i in range(6)]
    total = 0.0
    for i in range(4):
        inner = sum(HARTMANN_A[i][j] * (x[j] - HARTMANN_P[i][j] * 1e-4) ** 2 for j in range(6))
        total += HARTMANN_ALPHA[i] * math.exp(-inner)
    return -total


MIXED_OFFSET = [0.8, 0.0, 0.5, 1.2]
MIXED_TARGET = [5, 22, 12, 28]


def mixed(trial):
    c = trial.suggest_categorical("c", [0, 1, 2, 3])
    k = trial.suggest_int("k", 1, 30)
    x = trial.suggest_float("x", 0.0, 1.0)
    return MIXED_OFFSET[c] + ((k - MIXED_TARGET[c]) / 10.0) ** 2 + 2 * (x - 0.3) ** 2


PROBLEMS = {"branin": branin, "hartmann6": hartmann6, "mixed": mixed}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--sampler", choices=["tpe", "random"], default="tpe")
    p.add_argument("--trials", type=int, default=50)
    p.add_argument("--seeds", type=int, default=20)
    args = p.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    out = {}
    for name, objective in PROBLEMS.items():
        bests = []
        for seed in range(args.seeds):
            sampler = optuna.samplers.TPESampler(seed=seed) if args.sampler == "tpe" else optuna.samplers.RandomSampler(seed=seed)
            study = optuna.create_study(sampler=sampler)
            study.optimize(objective, n_trials=args.trials)
            bests.append(study.best_value)
        out[name] = bests
    print(json.dumps(out))


if __name__ == "__main__":
    main()
