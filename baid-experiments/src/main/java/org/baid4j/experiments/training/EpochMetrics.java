package org.baid4j.experiments.training;

import java.util.Locale;

/** One row of a run's metrics.csv. Validation figures are NaN in epochs without validation. */
public record EpochMetrics(int epoch, double trainLoss, double valLoss, double valSrcc, double valPlcc,
                           double learningRate, double seconds, double imagesPerSecond) {
    public static final String HEADER = "epoch,train_loss,val_loss,val_srcc,val_plcc,lr,seconds,images_per_s";

    public String csv() {
        return String.format(Locale.ROOT, "%d,%.6f,%s,%s,%s,%.3e,%.1f,%.2f", epoch, trainLoss, num(valLoss), num(valSrcc),
                num(valPlcc), learningRate, seconds, imagesPerSecond);
    }

    public static EpochMetrics parse(String line) {
        String[] f = line.split(",");
        return new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), optional(f[2]), optional(f[3]),
                optional(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]));
    }

    public boolean validated() {
        return !Double.isNaN(valSrcc);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static double optional(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
