package org.baid4j.studies.sweep;

import org.baid4j.data.TinyBaid;
import org.baid4j.training.testkit.TinyRuns;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingRun;
import org.baid4j.training.saan.TrainingConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A trial that fails is recorded with its reason, and the sweep goes on to the next. */
@Tag("training")
class FailedTrialTest {

    @Test
    void aFailingTrialIsRecordedAndTheSweepGoesOn(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        TrainingConfig base = TinyRuns.config(root, 1, 5, 1);
        SweepSettings settings = new SweepSettings(base, SweepSpace.studyDefault().toJson(), "random", "val-srcc", 2, 5, 0, 10);
        // The first trial loses an image after the splits were validated: its validation cannot score it.
        Path image = root.resolve("images").resolve("3.png");
        TrainingListener vanishing = new TrainingListener() {
            @Override
            public void onTrainingBegin(TrainingRun<?> run) throws java.io.IOException {
                if (run.dir().path().endsWith("000")) {
                    Files.move(image, dir.resolve("away.png"));
                } else if (Files.exists(dir.resolve("away.png"))) {
                    Files.move(dir.resolve("away.png"), image);
                }
            }
        };
        List<String> lines = new ArrayList<>();
        Sweep.Outcome outcome = Sweep.start(settings, dir.resolve("sweep"), lines::add, vanishing);
        assertEquals(2, outcome.trials().size());
        SweepTrial failed = outcome.trials().get(0);
        assertEquals("failed", failed.status());
        assertTrue(failed.reason().contains("3.png"), failed.reason());
        assertTrue(Double.isNaN(failed.objective()));
        assertTrue(outcome.trials().get(1).complete(), outcome.trials().get(1).toString());
        assertEquals(outcome.trials().get(1).number(), outcome.best().number());
        assertTrue(lines.get(0).contains("failed:") && lines.get(0).contains("3.png"), lines.get(0));
        List<String> csv = Files.readAllLines(dir.resolve("sweep").resolve("trials.csv"));
        assertTrue(csv.get(1).contains(",failed,"), csv.get(1));
        assertTrue(Files.readString(dir.resolve("sweep").resolve("report.md")).contains("failed: "));
    }
}
