package org.baid4j.experiments.cli;

import org.baid4j.experiments.training.EpochMetrics;
import org.baid4j.experiments.training.Trainer;

import java.util.Locale;

/** A training run on stderr: a bar per epoch, then a line with its loss, validation and speed. */
final class EpochProgress implements Trainer.Listener {
    private Progress bar;

    @Override
    public void epochStarted(int epoch, int batches) {
        bar = Progress.start("epoch " + epoch, batches);
    }

    @Override
    public void batchDone(int epoch, double loss, int images) {
        bar.step();
    }

    @Override
    public void epochDone(EpochMetrics m) {
        bar.close();
        System.err.println(String.format(Locale.ROOT, "epoch %d: train loss %.5f%s, %.1f images/s", m.epoch(),
                m.trainLoss(), m.validated() ? String.format(Locale.ROOT, ", val loss %.5f, SRCC %.4f, PLCC %.4f",
                        m.valLoss(), m.valSrcc(), m.valPlcc()) : "", m.imagesPerSecond()));
    }
}
