package org.baid4j.scoring;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The front door on a seeded SAAN at 64 px: every kind of input, many threads, bad images, closing. */
class ScorerTest {
    static final Path EXAMPLES = TinyBaid.EXAMPLES;
    static SaanModel model;
    static List<Path> images;

    @BeforeAll
    static void model() throws Exception {
        model = SaanModel.create(SaanConfig.reference().withInputSize(64));
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            images = s.sorted().toList();
        }
    }

    @AfterAll
    static void release() {
        model = null;
    }

    static Scorer scorer() throws Exception {
        return Aesthetics.builder().setModel(model).optMaxBatch(4).build();
    }

    @Test
    void aFileItsBytesAndAListGiveOneScore() throws Exception {
        try (Scorer scorer = scorer()) {
            Path art = EXAMPLES.resolve("sunset-strokes.jpg");
            double fromFile = scorer.score(art);
            assertTrue(fromFile > 0 && fromFile < 10, "a score on the 0-10 scale: " + fromFile);
            assertEquals(fromFile, scorer.score(Files.readAllBytes(art)), 0.0, "the same pixels, the same batch of one");
            List<ScoreResult> listed = scorer.score(List.of(art));
            assertEquals(art.toString(), listed.get(0).source());
            assertEquals(fromFile, listed.get(0).score(), 0.0);
        }
    }

    /** A PNG decodes to the same pixels in Java and in OpenCV; a BufferedImage of it scores as the file. */
    @Test
    void aDecodedImageScoresItsPixels() throws Exception {
        try (Scorer scorer = scorer()) {
            Path png = EXAMPLES.resolve("brushwork.png");
            assertEquals(scorer.score(png), scorer.score(ImageIO.read(png.toFile())), 0.0);
        }
    }

    /** A list runs in chunks of the maximum batch: the same scores whatever else is going on, in its order. */
    @Test
    void aListKeepsItsOrderAndItsScoresAreItsChunks() throws Exception {
        try (Scorer scorer = scorer()) {
            List<ScoreResult> first = scorer.score(images);
            assertEquals(images.stream().map(Path::toString).toList(), first.stream().map(ScoreResult::source).toList());
            assertTrue(first.stream().allMatch(ScoreResult::isScored), first.toString());
            // the same list while other threads score single images: the list's own chunks, the same scores
            ExecutorService others = Executors.newFixedThreadPool(3);
            List<Future<Double>> busy = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Path p = images.get(i % images.size());
                busy.add(others.submit(() -> scorer.score(p)));
            }
            List<ScoreResult> again = scorer.score(images);
            for (Future<Double> f : busy) {
                f.get();
            }
            others.shutdown();
            assertEquals(first, again);
        }
    }

    /** Sixteen threads at once, as a web server's request threads: every answer is its own image's, batched together. */
    @Test
    void manyThreadsAtOnceGetTheirOwnImagesScores() throws Exception {
        List<Integer> batches = Collections.synchronizedList(new ArrayList<>());
        try (Scorer scorer = Aesthetics.builder().setModel(model).optMaxBatch(8).build()) {
            double[] alone = new double[images.size()];
            for (int i = 0; i < alone.length; i++) {
                alone[i] = scorer.score(images.get(i));
            }
            scorer.addListener((size, nanos) -> batches.add(size));
            ExecutorService pool = Executors.newFixedThreadPool(16);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<double[]>> answers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int i = t % images.size();
                answers.add(pool.submit(() -> {
                    start.await();
                    return new double[]{i, scorer.score(images.get(i))};
                }));
            }
            start.countDown();
            for (Future<double[]> a : answers) {
                double[] got = a.get();
                // batched with others, the arithmetic may round differently in the last float digits
                assertEquals(alone[(int) got[0]], got[1], 1e-4, images.get((int) got[0]).toString());
            }
            pool.shutdown();
        }
        assertEquals(16, batches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batches.stream().anyMatch(b -> b > 1), "requests waiting together share a batch: " + batches);
        assertTrue(batches.stream().allMatch(b -> b <= 8), batches.toString());
    }

    @Test
    void aBadImageIsAFailureNamingItNeverANumber(@TempDir Path dir) throws Exception {
        Path truncated = dir.resolve("cut.jpg");
        byte[] jpeg = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
        Files.write(truncated, java.util.Arrays.copyOf(jpeg, jpeg.length / 2));
        Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
        try (Scorer scorer = scorer()) {
            ScoringException e = assertThrows(ScoringException.class, () -> scorer.score(truncated));
            assertEquals(truncated.toString(), e.source());
            assertTrue(e.getMessage().startsWith(truncated + ": truncated"), e.getMessage());
            ScoringException bytes = assertThrows(ScoringException.class, () -> scorer.score(new byte[0], "upload 7"));
            assertEquals("upload 7: empty file", bytes.getMessage());
            assertThrows(ScoringException.class, () -> scorer.score(dir.resolve("missing.jpg")));

            List<ScoreResult> results = scorer.score(List.of(EXAMPLES.resolve("mosaic.bmp"), truncated, text,
                    EXAMPLES.resolve("brushwork.png")));
            assertEquals(List.of(true, false, false, true), results.stream().map(ScoreResult::isScored).toList());
            assertTrue(Double.isNaN(results.get(1).score()));
            assertTrue(results.get(2).failure().getMessage().startsWith(text + ": not an image"), results.get(2).toString());
            assertEquals(scorer.score(EXAMPLES.resolve("brushwork.png")), results.get(3).score(), 1e-4);
        }
    }

    @Test
    void aNonFiniteScoreIsAFailureNeverAWrittenNumber() throws Exception {
        SaanModel broken = SaanModel.create(SaanConfig.reference().withInputSize(64));
        broken.graph().params().assign(Double.NaN);
        Path art = EXAMPLES.resolve("mosaic.bmp");
        try (Scorer scorer = Aesthetics.builder().setModel(broken).build()) {
            ScoringException e = assertThrows(ScoringException.class, () -> scorer.score(art));
            assertEquals(art + ": the model gave the score NaN (are its weights damaged?)", e.getMessage());
            ScoreResult listed = scorer.score(List.of(art)).get(0);
            assertFalse(listed.isScored());
            assertEquals(e.getMessage(), listed.failure().getMessage());
        }
    }

    @Test
    void aFullQueueRefusesAtOnceWhenAskedNotToWait() throws Exception {
        byte[] art = Files.readAllBytes(EXAMPLES.resolve("brushwork.png"));
        try (Scorer scorer = Aesthetics.builder().setModel(model).optMaxBatch(1).optQueueCapacity(1).build()) {
            List<CompletableFuture<Double>> accepted = new ArrayList<>();
            QueueFullException refused = null;
            for (int i = 0; i < 50 && refused == null; i++) {
                try {
                    accepted.add(scorer.scoreAsync(art, "request " + i, false));
                } catch (QueueFullException e) {
                    refused = e;
                }
            }
            assertNotNull(refused, "fifty requests at once into a queue of one");
            for (CompletableFuture<Double> f : accepted) {
                assertTrue(Double.isFinite(f.get()));
            }
        }
    }

    @Test
    void aClosedScorerFinishesWhatWaitsAndRefusesTheRest() throws Exception {
        byte[] art = Files.readAllBytes(EXAMPLES.resolve("brushwork.png"));
        Scorer scorer = scorer();
        List<CompletableFuture<Double>> waiting = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waiting.add(scorer.scoreAsync(art, "request " + i, true));
        }
        scorer.close();
        for (CompletableFuture<Double> f : waiting) {
            assertTrue(Double.isFinite(f.get()), "queued before close: answered");
        }
        assertThrows(IllegalStateException.class, () -> scorer.score(EXAMPLES.resolve("brushwork.png")));
    }

    @Test
    void aModelFileLoadsInOneCallByContentOrByTypeName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("saan.zip");
        model.save(file.toFile(), false);
        Path art = EXAMPLES.resolve("sunset-strokes.jpg");
        double expected;
        try (Scorer scorer = scorer()) {
            expected = scorer.score(art);
        }
        try (Scorer byContent = Aesthetics.load(file); Scorer byName = Aesthetics.load("saan", file)) {
            assertEquals(64, byContent.preprocessing().inputSize());
            assertEquals(expected, byContent.score(art), 0.0);
            assertEquals(expected, byName.score(art), 0.0);
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> Aesthetics.load("nima", file));
        assertTrue(unknown.getMessage().contains("known: saan"), unknown.getMessage());
        Path notAModel = Files.writeString(dir.resolve("model_best.pth"), "hello");
        Exception bad = assertThrows(java.io.IOException.class, () -> Aesthetics.load(notAModel));
        assertTrue(bad.getMessage().startsWith(notAModel.toString()), bad.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Aesthetics.load(dir.resolve("absent.pth")));
        assertThrows(IllegalArgumentException.class, () -> Aesthetics.builder().setModel(model).optMaxBatch(0).build());
    }
}
