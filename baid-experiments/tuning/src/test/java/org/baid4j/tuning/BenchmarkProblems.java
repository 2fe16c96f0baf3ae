package org.baid4j.tuning;

import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** The problems of tools/optuna/tpe_benchmarks.py, in the same words: change both together. */
final class BenchmarkProblems {
    record Problem(String name, NamedSpace space, ToDoubleFunction<Map<String, Object>> loss) {
    }

    private BenchmarkProblems() {
    }

    static Map<String, Problem> all() {
        Map<String, Problem> p = new LinkedHashMap<>();
        p.put("branin", branin());
        p.put("hartmann6", hartmann6());
        p.put("mixed", mixed());
        return p;
    }

    /** Branin, x2 on a log scale (x2 + 1 in [1, 16]). Minimum 0.397887. */
    static Problem branin() {
        Map<String, ParameterSpace<?>> s = new LinkedHashMap<>();
        s.put("x1", new ContinuousParameterSpace(-5, 10));
        s.put("x2p1", new ContinuousParameterSpace(new LogUniformDistribution(1, 16)));
        return new Problem("branin", new NamedSpace(s), v -> {
            double x1 = (Double) v.get("x1");
            double x2 = (Double) v.get("x2p1") - 1;
            double b = 5.1 / (4 * Math.PI * Math.PI);
            double c = 5 / Math.PI;
            double t = 1 / (8 * Math.PI);
            double r = x2 - b * x1 * x1 + c * x1 - 6;
            return r * r + 10 * (1 - t) * Math.cos(x1) + 10;
        });
    }

    static final double[][] HARTMANN_A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14}, {3, 3.5, 1.7, 10, 17, 8},
            {17, 8, 0.05, 10, 0.1, 14}};
    static final double[][] HARTMANN_P = {{1312, 1696, 5569, 124, 8283, 5886}, {2329, 4135, 8307, 3736, 1004, 9991},
            {2348, 1451, 3522, 2883, 3047, 6650}, {4047, 8828, 8732, 5743, 1091, 381}};
    static final double[] HARTMANN_ALPHA = {1.0, 1.2, 3.0, 3.2};

    /** Hartmann-6 on [0, 1]^6. Minimum -3.32237. */
    static Problem hartmann6() {
        Map<String, ParameterSpace<?>> s = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            s.put("x" + i, new ContinuousParameterSpace(0, 1));
        }
        return new Problem("hartmann6", new NamedSpace(s), v -> {
            double total = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < 6; j++) {
                    double d = (Double) v.get("x" + j) - HARTMANN_P[i][j] * 1e-4;
                    inner += HARTMANN_A[i][j] * d * d;
                }
                total += HARTMANN_ALPHA[i] * Math.exp(-inner);
            }
            return -total;
        });
    }

    static final double[] MIXED_OFFSET = {0.8, 0.0, 0.5, 1.2};
    static final int[] MIXED_TARGET = {5, 22, 12, 28};

    /** A categorical, an integer and a float. Minimum 0 at c = 1, k = 22, x = 0.3. */
    static Problem mixed() {
        Map<String, ParameterSpace<?>> s = new LinkedHashMap<>();
        s.put("c", new DiscreteParameterSpace<>(0, 1, 2, 3));
        s.put("k", new IntegerParameterSpace(1, 30));
        s.put("x", new ContinuousParameterSpace(0, 1));
        return new Problem("mixed", new NamedSpace(s), v -> {
            int c = (Integer) v.get("c");
            int k = (Integer) v.get("k");
            double x = (Double) v.get("x");
            double dk = (k - MIXED_TARGET[c]) / 10.0;
            return MIXED_OFFSET[c] + dk * dk + 2 * (x - 0.3) * (x - 0.3);
        });
    }
}
