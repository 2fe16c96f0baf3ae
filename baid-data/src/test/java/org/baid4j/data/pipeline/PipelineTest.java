package org.baid4j.data.pipeline;

import org.baid4j.data.RgbImage;
import org.baid4j.data.SaanTransform;
import org.baid4j.data.TinyBaid;
import org.baid4j.data.baid.BaidLabel;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The iterator, the decoded cache and the DataVec reader on a tiny BAID root. */
class PipelineTest {
    static final int SIZE = 64;

    @Test
    void evaluationBatchesAreTheFilesInOrderWithScoresOverTen(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        FileImages files = new FileImages(dir.resolve("images"), SIZE);
        try (BaidDataSetIterator it = new BaidDataSetIterator(labels, files, 4, false, 1, 2, 2)) {
            List<DataSet> batches = drain(it);
            assertEquals(3, batches.size());
            assertArrayEquals(new long[]{4, 3, SIZE, SIZE}, batches.get(0).getFeatures().shape());
            assertArrayEquals(new long[]{2, 1}, batches.get(2).getLabels().shape());
            assertEquals(labels.get(5).target(), batches.get(1).getLabels().getDouble(1, 0), 1e-6);
            float[] first = new SaanTransform(SIZE).chw(files.resized(labels.get(0).image()));
            assertArrayEquals(first, batches.get(0).getFeatures().get(NDArrayIndex.point(0)).dup().data().asFloat(), 0f);
        }
    }

    @Test
    void trainingShufflesAndFlipsBySeedAndEpochOnly(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        FileImages files = new FileImages(dir.resolve("images"), SIZE);
        List<Double> epoch0;
        List<Double> epoch1;
        INDArray firstBatch;
        try (BaidDataSetIterator it = new BaidDataSetIterator(labels, files, 3, true, 5, 4, 3)) {
            List<DataSet> b0 = drain(it);
            epoch0 = targets(b0);
            firstBatch = b0.get(0).getFeatures();
            it.reset();
            epoch1 = targets(drain(it));
        }
        assertNotEquals(epoch0, epoch1, "a new order each epoch");
        assertEquals(sorted(epoch0), sorted(epoch1), "every image once per epoch");
        try (BaidDataSetIterator again = new BaidDataSetIterator(labels, files, 3, true, 5, 1, 1)) {
            List<DataSet> b0 = drain(again);
            assertEquals(epoch0, targets(b0), "same seed, same order, whatever the threads");
            assertEquals(firstBatch, b0.get(0).getFeatures(), "same flips");
            again.startEpoch(1);
            assertEquals(epoch1, targets(drain(again)), "an epoch can be re-entered when resuming");
        }
        // Some image of the epoch is mirrored: compare with the unflipped transform.
        SaanTransform t = new SaanTransform(SIZE);
        int flipped = 0;
        try (BaidDataSetIterator it = new BaidDataSetIterator(labels, files, 10, true, 5, 2, 1)) {
            DataSet all = it.next();
            for (int i = 0; i < 10; i++) {
                double target = all.getLabels().getDouble(i, 0);
                BaidLabel l = labels.stream().filter(x -> Math.abs(x.target() - target) < 1e-6).findFirst().orElseThrow();
                float[] row = all.getFeatures().get(NDArrayIndex.point(i)).dup().data().asFloat();
                RgbImage img = files.resized(l.image());
                if (java.util.Arrays.equals(row, t.chw(img, true)) && !java.util.Arrays.equals(row, t.chw(img, false))) {
                    flipped++;
                } else {
                    assertArrayEquals(t.chw(img, false), row, 0f);
                }
            }
        }
        assertTrue(flipped > 0 && flipped < 10, "flips with p = 0.5: " + flipped + " of 10");
    }

    @Test
    void theCacheHoldsTheResizedPixelsAndRefusesWhatIsStaleOrCut(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        Path images = dir.resolve("images");
        List<String> names = labels.stream().map(BaidLabel::image).toList();
        Path file = dir.resolve("cache").resolve("test-64.bin");
        int[] progress = {0};
        try (DecodedCache cache = DecodedCache.openOrBuild(file, images, names, SIZE, 2, () -> progress[0]++)) {
            assertEquals(10, progress[0]);
            assertEquals(10, cache.presentCount());
            FileImages files = new FileImages(images, SIZE);
            for (String n : names) {
                assertArrayEquals(files.resized(n).rgb(), cache.resized(n).rgb(), n);
            }
        }
        assertFalse(Files.exists(file.resolveSibling("test-64.bin.building")), "no temporary file left");

        // Opening for a subset of the images works; for another size or another image it does not.
        DecodedCache.open(file, images, names.subList(0, 3), SIZE).close();
        assertMessage(() -> DecodedCache.open(file, images, names, 96), "holds 64x64 images, 96 wanted");
        assertMessage(() -> DecodedCache.open(file, images, List.of("other.jpg"), SIZE), "other.jpg (not in the cache)");

        // An image changed on disk since the build: stale, and openOrBuild rebuilds it.
        Files.setLastModifiedTime(images.resolve(names.get(4)), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertMessage(() -> DecodedCache.open(file, images, names, SIZE), "changed on disk");
        DecodedCache.openOrBuild(file, images, names, SIZE, 2, () -> { }).close();
        DecodedCache.open(file, images, names, SIZE).close();

        // A cut file and an interrupted build are refused.
        Path cut = dir.resolve("cut.bin");
        Files.copy(file, cut);
        try (RandomAccessFile f = new RandomAccessFile(cut.toFile(), "rw")) {
            f.setLength(f.length() - 1000);
        }
        assertMessage(() -> DecodedCache.open(cut, images, names, SIZE), "truncated");
        Path interrupted = dir.resolve("interrupted.bin");
        Files.copy(file, interrupted);
        try (RandomAccessFile f = new RandomAccessFile(interrupted.toFile(), "rw")) {
            f.seek(20);
            f.write(0);
        }
        assertMessage(() -> DecodedCache.open(interrupted, images, names, SIZE), "incomplete");
    }

    @Test
    void theCacheFeedsTheIteratorWithTheSameBatches(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        Path images = dir.resolve("images");
        List<String> names = labels.stream().map(BaidLabel::image).toList();
        try (DecodedCache cache = DecodedCache.openOrBuild(dir.resolve("c.bin"), images, names, SIZE, 2, () -> { });
             BaidDataSetIterator fromCache = new BaidDataSetIterator(labels, cache, 5, true, 9, 2, 2);
             BaidDataSetIterator fromFiles = new BaidDataSetIterator(labels, new FileImages(images, SIZE), 5, true, 9, 2, 2)) {
            List<DataSet> a = drain(fromCache);
            List<DataSet> b = drain(fromFiles);
            for (int i = 0; i < a.size(); i++) {
                assertEquals(b.get(i).getFeatures(), a.get(i).getFeatures());
                assertEquals(b.get(i).getLabels(), a.get(i).getLabels());
            }
        }
    }

    @Test
    void theDataVecReaderWorksWithDl4jsRecordReaderIterator(@TempDir Path dir) throws Exception {
        List<BaidLabel> labels = TinyBaid.create(dir);
        FileImages files = new FileImages(dir.resolve("images"), SIZE);
        BaidRecordReader reader = new BaidRecordReader(labels, files, false, 0);
        RecordReaderDataSetIterator it = new RecordReaderDataSetIterator(reader, 4, 1, 1, true);
        DataSet first = it.next();
        assertArrayEquals(new long[]{4, 3, SIZE, SIZE}, first.getFeatures().shape());
        assertEquals(labels.get(1).target(), first.getLabels().getDouble(1, 0), 1e-6);
        try (BaidDataSetIterator ours = new BaidDataSetIterator(labels, files, 4, false, 0, 2, 1)) {
            assertEquals(ours.next().getFeatures(), first.getFeatures());
        }
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String expected) {
        Exception e = assertThrows(Exception.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private static List<DataSet> drain(BaidDataSetIterator it) {
        List<DataSet> out = new ArrayList<>();
        while (it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    private static List<Double> targets(List<DataSet> batches) {
        List<Double> out = new ArrayList<>();
        for (DataSet d : batches) {
            for (double v : d.getLabels().toDoubleVector()) {
                out.add(v);
            }
        }
        return out;
    }

    private static List<Double> sorted(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }
}
