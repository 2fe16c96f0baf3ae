package org.baid4j.cli;

import org.baid4j.core.io.OutOfSpaceException;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.studies.sweep.Sweep;
import org.baid4j.studies.sweep.SweepSettings;
import org.baid4j.studies.sweep.SweepSpace;
import org.baid4j.studies.sweep.SweepState;
import org.baid4j.testkit.SmallFileSystem;
import org.baid4j.training.TrainingRuns;
import org.baid4j.training.engine.EpochEnd;
import org.baid4j.training.engine.EpochMetrics;
import org.baid4j.training.engine.RunDirectory;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingResult;
import org.baid4j.training.engine.TrainingRun;
import org.baid4j.training.pretraining.PretrainingConfig;
import org.baid4j.training.saan.TrainingConfig;
import org.baid4j.training.testkit.TinyRuns;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Long work whose folder's file system fills up (a tmpfs of the test's own, filled after the first
 * epoch): it stops with one line naming the file and the file system, keeps its last complete
 * checkpoint and nothing half-written, and resumes to the end once space is freed.
 */
@Tag("training")
class DiskFullTest {

    /** Fills the disk once, after the first epoch's checkpoint is written. */
    static final class FillAfterFirstEpoch implements TrainingListener {
        private final SmallFileSystem fs;
        Path filler;

        FillAfterFirstEpoch(SmallFileSystem fs) {
            this.fs = fs;
        }

        @Override
        public void onEpochEnd(TrainingRun<?> run, EpochEnd epoch) {
            if (filler == null) {
                try {
                    filler = fs.fill(256 * 1024);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Test
    void aTrainingRunStopsNamingTheDiskAndResumesOnceFreed(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        try (SmallFileSystem fs = small(dir)) {
            Path run = fs.path().resolve("run");
            FillAfterFirstEpoch fill = new FillAfterFirstEpoch(fs);
            TrainingConfig config = TinyRuns.config(root, 3, 5, 11);
            OutOfSpaceException full = assertThrows(OutOfSpaceException.class, () -> TrainingRuns.train(config, run, fill));
            assertFullNamed(full, fs, run);
            RunDirectory runDir = new RunDirectory(run);
            RunDirectory.Checkpoint kept = runDir.readCheckpointState();
            assertEquals(0, kept.epoch(), "the first epoch's checkpoint is the last complete one");
            SaanModel.load(run.resolve(kept.model()).toFile());   // whole
            assertNoHalfWrittenFiles(run);

            Files.delete(fill.filler);
            TrainingResult resumed = TrainingRuns.resume(run);
            assertEquals(List.of(0, 1, 2), resumed.epochs().stream().map(EpochMetrics::epoch).toList(),
                    "every epoch once, from the kept checkpoint on");
            assertTrue(resumed.epochs().stream().allMatch(m -> Double.isFinite(m.trainLoss())));
        }
    }

    @Test
    void aPretrainingRunStopsNamingTheDiskAndResumesOnceFreed(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        try (SmallFileSystem fs = small(dir)) {
            Path run = fs.path().resolve("pretraining");
            FillAfterFirstEpoch fill = new FillAfterFirstEpoch(fs);
            PretrainingConfig config = PretrainingConfig.builder().setRoot(root).optValImages(10).optThreads(2)
                    .optInputSize(64).optRankingFrom(1).optEpochs(2).optBatch(5).optSeed(3).optIntervals(1, 1).build();
            OutOfSpaceException full = assertThrows(OutOfSpaceException.class, () -> TrainingRuns.pretrain(config, run, fill));
            assertFullNamed(full, fs, run);
            assertEquals(0, new RunDirectory(run).readCheckpointState().epoch());
            assertNoHalfWrittenFiles(run);

            Files.delete(fill.filler);
            TrainingResult resumed = TrainingRuns.resumePretraining(run);
            assertEquals(List.of(0, 1), resumed.epochs().stream().map(EpochMetrics::epoch).toList());
        }
    }

    @Test
    void aSweepStopsWithItsTrialRunningAndFinishesItOnResume(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        try (SmallFileSystem fs = small(dir)) {
            Path sweep = fs.path().resolve("sweep");
            FillAfterFirstEpoch fill = new FillAfterFirstEpoch(fs);
            SweepSettings settings = new SweepSettings(TinyRuns.config(root, 2, 5, 5), SweepSpace.studyDefault().toJson(),
                    "random", "val-srcc", 2, 5, 0, 10);
            OutOfSpaceException full = assertThrows(OutOfSpaceException.class,
                    () -> Sweep.start(settings, sweep, line -> { }, fill));
            assertFullNamed(full, fs, sweep);
            List<org.baid4j.studies.sweep.SweepTrial> trials = SweepState.read(sweep).trials();
            assertEquals(1, trials.size());
            assertEquals(SweepState.RUNNING, trials.get(0).status(), "the trial is the machine's failure, not its own");

            Files.delete(fill.filler);
            Sweep.Outcome outcome = Sweep.resume(sweep, line -> { });
            assertEquals(2, outcome.trials().size());
            assertTrue(outcome.trials().stream().allMatch(org.baid4j.studies.sweep.SweepTrial::complete), outcome.trials().toString());
        }
    }

    private static SmallFileSystem small(Path dir) throws Exception {
        Optional<SmallFileSystem> fs = SmallFileSystem.mount(dir.resolve("fs"), 1024);
        Assumptions.assumeTrue(fs.isPresent(), "mounting a tmpfs is not permitted here: the full-disk runs are untested"
                + " (OutputFileTest still checks the write layer with a full device)");
        return fs.get();
    }

    private static void assertFullNamed(OutOfSpaceException full, SmallFileSystem fs, Path folder) {
        assertTrue(full.file().startsWith(folder), "names a file of the work: " + full.getMessage());
        assertTrue(full.getMessage().startsWith(full.file() + ": no space left on the file system " + fs.path()),
                full.getMessage());
        assertEquals(1, full.getMessage().lines().count());
    }

    private static void assertNoHalfWrittenFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            List<Path> temporary = files.filter(f -> f.getFileName().toString().endsWith(".tmp")).toList();
            assertEquals(List.of(), temporary, "no temporary file left");
        }
    }
}
