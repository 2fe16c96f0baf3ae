package org.baid4j.data.pipeline;

import java.util.SplittableRandom;

/** The order of an epoch's samples: a Fisher-Yates shuffle drawn from a seeded generator. */
public final class EpochOrder {
    private EpochOrder() {
    }

    /** 0..n-1 shuffled with {@code random}, which the caller may go on drawing from (flips, say). */
    public static int[] shuffled(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
