package org.baid4j.cli;

import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Tag;
import org.baid4j.core.plan.ExecutionPlan;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole model against the PyTorch reference at 224 x 224: a full SAAN checkpoint with every
 * parameter and BN statistic randomised is made at test time (tools/pytorch/make_saan_fixture.py),
 * with the reference's scores for the example images; {@code baid score} must reproduce them
 * within 1e-3 for lossless files and 1e-2 for JPEG, through the same path a user takes.
 */
@Tag("parity")
class SaanReferenceParityTest {
    static final double LOSSLESS_BAR = 1e-3;
    static final double JPEG_BAR = 1e-2;

    /** Under either execution plan ({@code -Dbaid4j.plan}): the CPU plan's, and DL4J's layers alone. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "plain"})
    void scoreReproducesTheReferenceOnRealJpegAndPngFiles(String plan, @TempDir Path dir) throws Exception {
        System.setProperty(ExecutionPlan.PROPERTY, plan);
        try {
            scoreReproducesTheReference(dir, plan);
        } finally {
            System.clearProperty(ExecutionPlan.PROPERTY);
        }
    }

    private void scoreReproducesTheReference(Path dir, String plan) throws Exception {
        Path images = ReferencePython.REPO.resolve("examples").resolve("images");
        String made = ReferencePython.run("make_saan_fixture.py", dir.toString(), images.toString());
        System.out.println("[parity] reference: " + made.trim());

        Map<String, Double> expected = new HashMap<>();
        for (String[] row : ReferencePython.csv(dir.resolve("expected-scores.csv")).subList(1, 11)) {
            expected.put(row[0], Double.parseDouble(row[1]));
        }
        double low = expected.values().stream().mapToDouble(d -> d).min().orElseThrow();
        double high = expected.values().stream().mapToDouble(d -> d).max().orElseThrow();
        assertTrue(low > 0.3 && high < 9.7 && high - low > 5, "fixture scores must spread, unsaturated: " + expected);

        Path out = dir.resolve("scores.csv");
        int exit = Baid.execute("score", "--model", dir.resolve("saan-random.pth").toString(), "--batch", "4",
                "--out", out.toString(), images.toString());
        assertEquals(0, exit);
        List<String[]> rows = ReferencePython.csv(out);
        assertEquals("path,score", String.join(",", rows.get(0)));
        assertEquals(expected.size(), rows.size() - 1);
        double worstLossless = 0;
        double worstJpeg = 0;
        for (String[] row : rows.subList(1, rows.size())) {
            String name = Path.of(row[0]).getFileName().toString();
            assertEquals(images.resolve(name).toString(), row[0], "the path as given, joined with the file name");
            double diff = Math.abs(Double.parseDouble(row[1]) - expected.get(name));
            boolean jpeg = name.endsWith(".jpg");
            assertTrue(diff <= (jpeg ? JPEG_BAR : LOSSLESS_BAR), name + ": " + row[1] + " vs " + expected.get(name));
            if (jpeg) {
                worstJpeg = Math.max(worstJpeg, diff);
            } else {
                worstLossless = Math.max(worstLossless, diff);
            }
        }
        System.out.printf("[parity, %s plan] largest score difference: %.2e on PNG/BMP, %.2e on JPEG%n", plan, worstLossless, worstJpeg);

        // The same network through DL4J's own model file: identical scores.
        Path zip = dir.resolve("saan.zip");
        assertEquals(0, Baid.execute("import-weights", "--from", dir.resolve("saan-random.pth").toString(),
                "--to", zip.toString()));
        Path fromZip = dir.resolve("scores-zip.csv");
        // The same batches: DL4J's own convolutions (the plain plan) round by the batch's size, by about 1e-6.
        assertEquals(0, Baid.execute("score", "--model", zip.toString(), "--batch", "4", "--out", fromZip.toString(),
                images.toString()));
        assertEquals(java.nio.file.Files.readAllLines(out), java.nio.file.Files.readAllLines(fromZip));
    }
}
