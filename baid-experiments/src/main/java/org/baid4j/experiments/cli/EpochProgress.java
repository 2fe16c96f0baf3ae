package org.baid4j.experiments.cli;

import org.baid4j.experiments.training.EpochMetrics;
import org.baid4j.experiments.training.Trainer;

import java.util.Locale;

/** A training run on stderr: a bar per epoch, then a line with its loss, validation and speed. */
final class EpochProgress implements Trainer.Listener {
    private Progress bar;
    private double lossSum;
    private long images;
    private long started;

    @Override
    public void epochStarted(int epoch, int batches) {
        bar = Progress.start("epoch " + epoch, batches);
        lossSum = 0;
        images = 0;
        started = System.nanoTime();
    }

    @Override
    public void batchDone(int epoch, double loss, int n) {
        lossSum += loss * n;
        images += n;
        double seconds = (System.nanoTime() - started) / 1e9;
        bar.message(String.format(Locale.ROOT, "loss %.5f, %.1f images/s", lossSum / images, images / seconds));
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
