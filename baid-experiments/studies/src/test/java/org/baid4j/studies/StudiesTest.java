package org.baid4j.studies;

import org.baid4j.studies.demo.PaintedArtworks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Each study's main, as an IDE runs it, on painted artworks at 64 px (one short epoch, random backbones). */
@Tag("training")
class StudiesTest {
    private static final List<String> PROPERTIES = List.of("baid.root", "baid.out", "baid.epochs", "baid.batch",
            "baid.input-size", "baid.seeds", "baid.model", "baid.trials");

    @AfterEach
    void clearProperties() {
        PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void retrainingEvaluationAndAblationMainsRunOnPaintedArtworks(@TempDir Path dir) throws Exception {
        Path root = dir.resolve("paintings");
        PaintedArtworks.write(root, 24, 8, 12, 64, 5);
        System.setProperty("baid.root", root.toString());
        System.setProperty("baid.epochs", "1");
        System.setProperty("baid.batch", "8");
        System.setProperty("baid.input-size", "64");

        System.setProperty("baid.out", dir.resolve("retraining").toString());
        String trained = printed(() -> SaanRetraining.main(new String[0]));
        assertTrue(trained.startsWith("best validation SRCC"), trained);
        Path best = dir.resolve("retraining").resolve("best.zip");
        assertTrue(Files.exists(best));
        assertTrue(Files.exists(dir.resolve("retraining").resolve("report.md")));

        System.setProperty("baid.model", best.toString());
        System.setProperty("baid.out", dir.resolve("evaluation").toString());
        String evaluated = printed(() -> SaanEvaluation.main(new String[0]));
        assertTrue(evaluated.startsWith("test split, 12 images: SRCC"), evaluated);
        assertTrue(Files.exists(dir.resolve("evaluation").resolve("summary.json")));

        System.setProperty("baid.seeds", "1");
        System.setProperty("baid.out", dir.resolve("ablation").toString());
        String ablation = printed(() -> SaanAblation.main(new String[0]));
        assertTrue(ablation.contains("| full |") && ablation.contains("| without-gab |") && ablation.contains("| without-sab |"),
                ablation);

        System.setProperty("baid.trials", "2");
        System.setProperty("baid.out", dir.resolve("sweep").toString());
        String sweep = printed(() -> SaanSweep.main(new String[0]));
        assertTrue(sweep.contains("tpe sampler, 2 of 2 trials, objective val-srcc"), sweep);
        assertTrue(Files.exists(dir.resolve("sweep").resolve("trials").resolve("001").resolve("best.zip")));
    }

    @Test
    void theDemosMainPaintsTrainsAndEvaluates(@TempDir Path dir) throws Exception {
        PaintedArtworksDemo.Settings small = new PaintedArtworksDemo.Settings(24, 8, 12, 64, 64, 1, 8, 1e-4, 0.2,
                "leaky-relu", 7, 2);
        PaintedArtworksDemo.Result result = PaintedArtworksDemo.run(dir.resolve("demo"), small);
        assertEquals(12, result.test().n());
        assertEquals(1, result.training().epochs().size());
        assertTrue(Files.readString(dir.resolve("demo").resolve("report.md")).contains("## Evaluation, test split"));
    }

    interface Main {
        void run() throws Exception;
    }

    private static String printed(Main main) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
