package org.baid4j.data.baid;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class SubsetsTest {
    static final List<BaidLabel> TRAIN = BaidLabels.vendored(BaidSplit.TRAIN);

    @Test
    void theSameArgumentsGiveTheSameSubset() {
        List<BaidLabel> a = Subsets.stratified(TRAIN, SubsetSpec.parse("0.1"), 42);
        List<BaidLabel> b = Subsets.stratified(TRAIN, SubsetSpec.parse("0.1"), 42);
        assertEquals(a, b);
        assertEquals(5_074, a.size());
        assertNotEquals(a, Subsets.stratified(TRAIN, SubsetSpec.parse("0.1"), 43));
        assertEquals(5_000, Subsets.stratified(TRAIN, SubsetSpec.parse("5000"), 1).size());
        assertEquals(TRAIN.size(), Subsets.stratified(TRAIN, SubsetSpec.parse("100000"), 1).size());
    }

    @Test
    void theSubsetFollowsTheScoreDistribution() {
        List<BaidLabel> subset = Subsets.stratified(TRAIN, SubsetSpec.parse("2000"), 7);
        double[] all = TRAIN.stream().mapToDouble(BaidLabel::score).sorted().toArray();
        double[] sub = subset.stream().mapToDouble(BaidLabel::score).sorted().toArray();
        for (double q : new double[]{0.1, 0.25, 0.5, 0.75, 0.9}) {
            assertEquals(all[(int) (q * all.length)], sub[(int) (q * sub.length)], 0.05, "quantile " + q);
        }
        // Every stratum contributes its share: each decile of the subset spans the split's decile.
        assertEquals(2000, new HashSet<>(subset).size(), "no duplicates");
        assertTrue(TRAIN.containsAll(subset));
    }

    @Test
    void specsParseAsFractionsOrCounts() {
        assertEquals(0.25, SubsetSpec.parse("0.25").fraction());
        assertEquals(300, SubsetSpec.parse("300").count());
        assertTrue(SubsetSpec.parse("1.0").isAll());
        assertEquals(1, SubsetSpec.parse("1").count());
        for (String bad : Arrays.asList("0", "-3", "1.5", "ten")) {
            assertThrows(IllegalArgumentException.class, () -> SubsetSpec.parse(bad), bad);
        }
    }
}
