package org.baid4j.training.engine;

import org.baid4j.core.io.OutputFile;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checkpoints on the run's schedule: the network with its updater state, then checkpoint.json
 * naming it (with the best so far and ND4J's random state), then the previous checkpoint goes; an
 * early stop gets one too. A
 * run killed at any moment has one whole checkpoint and loses at most the epochs since.
 */
public final class CheckpointListener implements TrainingListener {
    @Override
    public void onEpochEnd(TrainingRun<?> run, EpochEnd epoch) throws IOException {
        int e = epoch.epoch();
        if (!run.settings().checkpoints(e) && !run.stopRequested()) {
            return;
        }
        RunDirectory dir = run.dir();
        Path file = dir.checkpointModel(e);
        OutputFile.write(file, tmp -> run.model().save(tmp.toFile(), true));   // whole, whatever the network's own save does
        RunDirectory.Checkpoint previous = dir.readCheckpointState();
        String name = dir.path().relativize(file).toString();
        Random random = Nd4j.getRandom();
        dir.writeCheckpointState(new RunDirectory.Checkpoint(e, name, run.best(), run.bestEpoch(), random.rootState(),
                random.nodeState()));
        if (previous != null && !previous.model().equals(name)) {
            Files.deleteIfExists(dir.path().resolve(previous.model()));   // keep the last one only
        }
    }
}
