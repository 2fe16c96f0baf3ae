package org.baid4j.cli;

import org.baid4j.training.engine.EpochEnd;
import org.baid4j.training.engine.EpochMetrics;
import org.baid4j.training.engine.TrainingListener;
import org.baid4j.training.engine.TrainingRun;

import java.util.Locale;
import java.util.stream.Collectors;

/** A training run on stderr: a bar per epoch, then a line with its loss, validation and speed. */
final class EpochProgress implements TrainingListener {
    private Progress bar;
    private double lossSum;
    private long images;
    private long started;

    @Override
    public void onEpochBegin(TrainingRun<?> run, int epoch, int batches) {
        bar = Progress.start("epoch " + epoch, batches);
        lossSum = 0;
        images = 0;
        started = System.nanoTime();
    }

    @Override
    public void onBatch(TrainingRun<?> run, int epoch, double loss, int n) {
        lossSum += loss * n;
        images += n;
        double seconds = (System.nanoTime() - started) / 1e9;
        bar.message(String.format(Locale.ROOT, "loss %.5f, %.1f images/s", lossSum / images, images / seconds));
        bar.step();
    }

    @Override
    public void onEpochEnd(TrainingRun<?> run, EpochEnd end) {
        bar.close();
        EpochMetrics m = end.metrics();
        String validation = m.validated() ? ", " + m.validation().entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.4f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", ")) : "";
        System.err.println(String.format(Locale.ROOT, "epoch %d: train loss %.5f%s, %.1f images/s", m.epoch(),
                m.trainLoss(), validation, m.imagesPerSecond()));
    }
}
