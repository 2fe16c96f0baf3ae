package org.baid4j.training.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One row of a run's metrics.csv: the epoch, its training loss, the task's other training metrics
 * ({@code train_...}) and validation metrics (NaN in epochs without validation), the learning
 * rate, and its time. {@link #validation} holds both kinds by column name.
 */
public record EpochMetrics(int epoch, double trainLoss, Map<String, Double> validation, double learningRate,
                           double seconds, double imagesPerSecond) {

    public EpochMetrics {
        validation = Collections.unmodifiableMap(new LinkedHashMap<>(validation));
    }

    /** A validation metric by name; NaN when this epoch was not validated. */
    public double metric(String name) {
        return validation.getOrDefault(name, Double.NaN);
    }

    /** Whether this epoch was validated: a metric other than a training one ({@code train_...}) has a value. */
    public boolean validated() {
        return validation.entrySet().stream().anyMatch(e -> !e.getKey().startsWith(TRAINING_PREFIX) && !Double.isNaN(e.getValue()));
    }

    /** Column names of training metrics start so. */
    public static final String TRAINING_PREFIX = "train_";

    /** The header for a task's metric columns (its training metrics, then its validation metrics). */
    public static String header(List<String> metricColumns) {
        List<String> columns = new ArrayList<>(List.of("epoch", "train_loss"));
        columns.addAll(metricColumns);
        columns.addAll(List.of("lr", "seconds", "images_per_s"));
        return String.join(",", columns);
    }

    public String csv() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d,%.6f", epoch, trainLoss));
        for (double v : validation.values()) {
            sb.append(',').append(Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v));
        }
        return sb.append(String.format(Locale.ROOT, ",%.3e,%.1f,%.2f", learningRate, seconds, imagesPerSecond)).toString();
    }

    /** A row of a file with the given header. */
    public static EpochMetrics parse(String header, String line) {
        String[] names = header.split(",");
        String[] f = line.split(",", -1);
        if (f.length != names.length || names.length < 5) {
            throw new IllegalArgumentException("a metrics row of " + f.length + " fields under a header of " + names.length);
        }
        Map<String, Double> validation = new LinkedHashMap<>();
        for (int i = 2; i < names.length - 3; i++) {
            validation.put(names[i], f[i].isEmpty() ? Double.NaN : Double.parseDouble(f[i]));
        }
        int n = names.length;
        return new EpochMetrics(Integer.parseInt(f[0]), Double.parseDouble(f[1]), validation, Double.parseDouble(f[n - 3]),
                Double.parseDouble(f[n - 2]), Double.parseDouble(f[n - 1]));
    }
}
