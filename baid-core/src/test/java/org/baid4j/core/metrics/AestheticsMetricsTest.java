package org.baid4j.core.metrics;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Metric code against scipy (spearmanr, pearsonr) and numpy on committed cases with ties (tools/pytorch/make_metric_fixture.py). */
class AestheticsMetricsTest {

    static List<String[]> rows(String resource) throws Exception {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                AestheticsMetricsTest.class.getResourceAsStream("/metrics/" + resource), StandardCharsets.UTF_8))) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                rows.add(line.split(","));
            }
        }
        return rows;
    }

    @Test
    void everyMetricEqualsScipys() throws Exception {
        Map<String, List<double[]>> cases = new LinkedHashMap<>();
        for (String[] row : rows("cases.csv")) {
            cases.computeIfAbsent(row[0], k -> new ArrayList<>())
                    .add(new double[]{Double.parseDouble(row[1]), Double.parseDouble(row[2])});
        }
        List<String[]> expected = rows("expected.csv");
        assertEquals(4, expected.size());
        for (String[] e : expected) {
            List<double[]> pairs = cases.get(e[0]);
            double[] t = pairs.stream().mapToDouble(p -> p[0]).toArray();
            double[] p = pairs.stream().mapToDouble(q -> q[1]).toArray();
            AestheticsMetrics.Summary s = AestheticsMetrics.evaluate(t, p, 0, 1);
            assertEquals(Double.parseDouble(e[1]), s.srcc(), 1e-12, e[0] + " srcc");
            assertEquals(Double.parseDouble(e[2]), s.plcc(), 1e-12, e[0] + " plcc");
            assertEquals(Double.parseDouble(e[3]), s.accuracy(), 1e-12, e[0] + " accuracy");
            assertEquals(Double.parseDouble(e[4]), s.balancedAccuracy(), 1e-12, e[0] + " balanced accuracy");
            assertEquals(Double.parseDouble(e[5]), s.majorityBaselineAccuracy(), 1e-12, e[0] + " majority");
            assertEquals(Double.parseDouble(e[6]), s.mae(), 1e-12, e[0] + " mae");
            assertEquals(Double.parseDouble(e[7]), s.rmse(), 1e-12, e[0] + " rmse");
        }
    }

    @Test
    void averageRanksForTies() {
        assertArrayEquals(new double[]{1.5, 3, 1.5, 4.5, 4.5}, Ranks.average(new double[]{2, 5, 2, 7, 7}));
    }

    @Test
    void bootstrapIntervalsSurroundTheEstimateAndAreSeeded() throws Exception {
        List<double[]> pairs = new ArrayList<>();
        for (String[] row : rows("cases.csv")) {
            if (row[0].equals("imbalanced")) {
                pairs.add(new double[]{Double.parseDouble(row[1]), Double.parseDouble(row[2])});
            }
        }
        double[] t = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] p = pairs.stream().mapToDouble(q -> q[1]).toArray();
        AestheticsMetrics.Summary a = AestheticsMetrics.evaluate(t, p, 500, 7);
        AestheticsMetrics.Summary b = AestheticsMetrics.evaluate(t, p, 500, 7);
        assertArrayEquals(a.srccCi(), b.srccCi());
        assertTrue(a.srccCi()[0] < a.srcc() && a.srcc() < a.srccCi()[1], java.util.Arrays.toString(a.srccCi()));
        assertTrue(a.plccCi()[0] < a.plcc() && a.plcc() < a.plccCi()[1]);
        assertTrue(a.srccCi()[1] - a.srccCi()[0] < 0.15, "200 images: a narrow interval for r = 0.85");
        assertFalse(java.util.Arrays.equals(a.srccCi(), AestheticsMetrics.evaluate(t, p, 500, 8).srccCi()));
    }

    @Test
    void refusesMismatchedOrTooFewScores() {
        assertThrows(IllegalArgumentException.class, () -> AestheticsMetrics.srcc(new double[]{1, 2}, new double[]{1}));
        assertThrows(IllegalArgumentException.class, () -> AestheticsMetrics.plcc(new double[]{1}, new double[]{1}));
    }
}
