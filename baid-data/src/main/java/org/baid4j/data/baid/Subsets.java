package org.baid4j.data.baid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic subsets stratified by score, for experiments on a laptop: the split is ordered by
 * score and cut into {@value #STRATA} strata of equal size; each stratum gives its share (largest
 * remainders settle the rounding), chosen by a seeded shuffle. The same arguments give the same
 * images every time; the result keeps the split's file order.
 */
public final class Subsets {
    public static final int STRATA = 10;

    private Subsets() {
    }

    public static List<BaidLabel> stratified(List<BaidLabel> split, SubsetSpec spec, long seed) {
        if (spec.isAll()) {
            return List.copyOf(split);
        }
        int n = split.size();
        int wanted = spec.sizeOf(n);
        List<Integer> byScore = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byScore.add(i);
        }
        byScore.sort(Comparator.<Integer>comparingDouble(i -> split.get(i).score()).thenComparing(i -> split.get(i).image()));
        int strata = Math.min(STRATA, Math.max(1, n));
        int[] start = new int[strata + 1];
        for (int s = 0; s <= strata; s++) {
            start[s] = (int) ((long) s * n / strata);
        }
        // Each stratum's quota, rounded so that the quotas sum to exactly `wanted`.
        int[] quota = new int[strata];
        double[] remainder = new double[strata];
        int given = 0;
        for (int s = 0; s < strata; s++) {
            double exact = (double) wanted * (start[s + 1] - start[s]) / n;
            quota[s] = (int) Math.floor(exact);
            remainder[s] = exact - quota[s];
            given += quota[s];
        }
        while (given < wanted) {
            int best = 0;
            for (int s = 1; s < strata; s++) {
                if (remainder[s] > remainder[best]) {
                    best = s;
                }
            }
            quota[best]++;
            remainder[best] = -1;
            given++;
        }
        boolean[] chosen = new boolean[n];
        SplittableRandom random = new SplittableRandom(seed);
        for (int s = 0; s < strata; s++) {
            List<Integer> members = new ArrayList<>(byScore.subList(start[s], start[s + 1]));
            for (int i = members.size() - 1; i > 0; i--) {   // Fisher-Yates, seeded
                int j = random.nextInt(i + 1);
                Integer t = members.get(i);
                members.set(i, members.get(j));
                members.set(j, t);
            }
            for (int k = 0; k < quota[s]; k++) {
                chosen[members.get(k)] = true;
            }
        }
        List<BaidLabel> out = new ArrayList<>(wanted);
        for (int i = 0; i < n; i++) {
            if (chosen[i]) {
                out.add(split.get(i));
            }
        }
        return out;
    }
}
