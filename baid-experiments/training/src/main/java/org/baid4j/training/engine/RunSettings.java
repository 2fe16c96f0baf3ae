package org.baid4j.training.engine;

/**
 * The run section of a training configuration: how long, how often to validate and checkpoint,
 * when to stop early, and the seed of everything random in the run.
 *
 * @param epochs          epochs in all
 * @param batch           examples per step
 * @param seed            seed of initialisation, shuffles, flips, subsets and dropout
 * @param validateEvery   epochs between validations (the last epoch is always validated)
 * @param checkpointEvery epochs between checkpoints (the last epoch always gets one)
 * @param patience        stop after this many validations without improvement; 0: never stop early
 */
public record RunSettings(int epochs, int batch, long seed, int validateEvery, int checkpointEvery, int patience) {
    public RunSettings {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        if (validateEvery < 1 || checkpointEvery < 1) {
            throw new IllegalArgumentException("validation and checkpoint intervals must be at least 1 epoch");
        }
        if (patience < 0) {
            throw new IllegalArgumentException("--patience must be 0 (off) or more, got " + patience);
        }
    }

    public RunSettings withEpochs(int e) {
        return new RunSettings(e, batch, seed, validateEvery, checkpointEvery, patience);
    }

    public RunSettings withSeed(long s) {
        return new RunSettings(epochs, batch, s, validateEvery, checkpointEvery, patience);
    }

    public RunSettings withBatch(int b) {
        return new RunSettings(epochs, b, seed, validateEvery, checkpointEvery, patience);
    }

    /** Validation every {@code validate} epochs, a checkpoint every {@code checkpoint}. */
    public RunSettings withIntervals(int validate, int checkpoint) {
        return new RunSettings(epochs, batch, seed, validate, checkpoint, patience);
    }

    public RunSettings withPatience(int p) {
        return new RunSettings(epochs, batch, seed, validateEvery, checkpointEvery, p);
    }

    public boolean validates(int epoch) {
        return (epoch + 1) % validateEvery == 0 || epoch == epochs - 1;
    }

    public boolean checkpoints(int epoch) {
        return (epoch + 1) % checkpointEvery == 0 || epoch == epochs - 1;
    }
}
