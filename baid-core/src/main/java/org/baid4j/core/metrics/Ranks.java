package org.baid4j.core.metrics;

import java.util.Arrays;
import java.util.Comparator;

/** Ranks with ties given their average rank (scipy's rankdata, method 'average'), 1-based. */
final class Ranks {
    private Ranks() {
    }

    static double[] average(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[n];
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && values[order[j + 1]] == values[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;   // mean of ranks i+1 .. j+1
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = rank;
            }
            i = j + 1;
        }
        return ranks;
    }
}
