package org.baid4j.studies.sweep;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How much of the objective's spread each parameter explains on its own: the trials are grouped
 * by the parameter (a categorical by its value, a number into up to four equal-count bins by
 * rank), the share of the objective's variance between the groups is the parameter's eta
 * squared, and the shares are scaled to sum to 1. Optuna's default is fANOVA (a random forest's
 * functional ANOVA); with a dozen trials this one-way form says as much, with nothing fitted.
 */
final class ParameterImportance {
    static final int BINS = 4;

    private ParameterImportance() {
    }

    /** @param values per parameter, one value per trial (categoricals by index); objective NaN for failed trials */
    static Map<String, Double> of(Map<String, double[]> values, double[] objective) {
        int[] ok = java.util.stream.IntStream.range(0, objective.length).filter(t -> !Double.isNaN(objective[t])).toArray();
        Map<String, Double> eta = new LinkedHashMap<>();
        double mean = Arrays.stream(ok).mapToDouble(t -> objective[t]).average().orElse(0);
        double total = Arrays.stream(ok).mapToDouble(t -> (objective[t] - mean) * (objective[t] - mean)).sum();
        values.forEach((name, v) -> eta.put(name, total == 0 || ok.length < 2 ? 0 : between(v, objective, ok, mean) / total));
        double sum = eta.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> out = new LinkedHashMap<>();
        eta.forEach((name, e) -> out.put(name, sum == 0 ? 1.0 / eta.size() : e / sum));
        return out;
    }

    private static double between(double[] v, double[] objective, int[] ok, double mean) {
        Map<Double, List<Integer>> groups = new HashMap<>();
        long distinct = Arrays.stream(ok).mapToDouble(t -> v[t]).distinct().count();
        Integer[] byValue = Arrays.stream(ok).boxed().toArray(Integer[]::new);
        Arrays.sort(byValue, (a, b) -> Double.compare(v[a], v[b]));
        for (int i = 0; i < byValue.length; i++) {
            double key = distinct <= BINS ? v[byValue[i]] : Math.floor((double) i * BINS / byValue.length);
            groups.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(byValue[i]);
        }
        double ss = 0;
        for (List<Integer> g : groups.values()) {
            double m = g.stream().mapToDouble(t -> objective[t]).average().orElse(mean);
            ss += g.size() * (m - mean) * (m - mean);
        }
        return ss;
    }
}
