package org.baid4j.studies.bench;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measurement of the full SAAN: inference ({@link SaanModel#scores}, what a caller gets) or
 * training steps ({@code fit}), median images/s over timed runs after warm-up, and the process's
 * peak resident memory. Each measurement runs in a process of its own (see {@link ScalingBench}),
 * so that the peak is that of this work alone; {@link #main} is that process.
 */
public final class ModelBench {
    private ModelBench() {
    }

    public enum Mode {
        INFERENCE, TRAIN;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** {@code coldSeconds}: from building the model (ND4J's loading included) to its first output, a service's cold start. */
    public record Result(Mode mode, int size, int batch, int runs, double imagesPerSecond, double peakRssMb, double coldSeconds) {
    }

    /** The measured work: the reference SAAN at {@code size} and a seeded random batch with its labels. */
    public record Workload(SaanModel model, INDArray images, INDArray labels) {
        public static Workload of(int size, int batch) {
            SaanModel model = SaanModel.create(SaanConfig.reference().withInputSize(size));
            Nd4j.getRandom().setSeed(1);
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, size, size).subi(0.5).muli(4);
            return new Workload(model, x, Nd4j.rand(DataType.FLOAT, batch, 1));
        }

        public DataSet dataSet() {
            return new DataSet(images, labels);
        }
    }

    public static Result run(Mode mode, int size, int batch, int runs) {
        long start = System.nanoTime();
        Workload w = Workload.of(size, batch);
        ComputationGraph graph = w.model().graph();
        if (mode == Mode.INFERENCE) {
            w.model().fixParameters();   // as a Scorer does
        }
        DataSet ds = w.dataSet();
        Runnable work = mode == Mode.INFERENCE ? () -> w.model().scores(w.images()) : () -> graph.fit(ds);
        work.run();   // warm-up: the workspaces learn their sizes, oneDNN builds its primitives
        double cold = (System.nanoTime() - start) / 1e9;
        work.run();
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - t) / 1e9;
        }
        return new Result(mode, size, batch, runs, batch / median(seconds), peakRssMb(), cold);
    }

    /** {@code ModelBench inference|train SIZE BATCH RUNS}: prints the result as one JSON line. */
    public static void main(String[] args) throws IOException {
        Mode mode = Mode.valueOf(args[0].toUpperCase(java.util.Locale.ROOT));
        Result r = run(mode, Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("framework", "baid4j");
        out.put("mode", mode.key());
        out.put("size", r.size());
        out.put("batch", r.batch());
        out.put("img_per_s", r.imagesPerSecond());
        out.put("peak_rss_mb", r.peakRssMb());
        out.put("cold_s", r.coldSeconds());
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(out));
        System.exit(0);   // ND4J's native threads would otherwise hold the process a while
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The process's peak resident set (VmHWM), in MB; NaN where /proc is not there. */
    public static double peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return Double.NaN;
    }
}
