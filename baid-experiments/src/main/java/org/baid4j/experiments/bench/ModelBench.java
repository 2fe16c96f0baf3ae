package org.baid4j.experiments.bench;

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

/** Inference and training throughput of the full SAAN: median over timed runs after warm-up. */
public final class ModelBench {
    private ModelBench() {
    }

    public record Result(int size, int batch, int runs, double inferenceImagesPerSecond, double trainImagesPerSecond,
                         double peakRssMb) {
    }

    public static Result run(int size, int batch, int runs) {
        SaanModel model = SaanModel.create(SaanConfig.reference().withInputSize(size));
        ComputationGraph graph = model.graph();
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, size, size).subi(0.5).muli(4);
        INDArray y = Nd4j.rand(DataType.FLOAT, batch, 1);
        double[] inference = new double[runs];
        model.scores(x);   // what a caller gets: the inference layout (see SaanModel.scores)
        model.scores(x);
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            model.scores(x);
            inference[i] = (System.nanoTime() - t) / 1e9;
        }
        DataSet ds = new DataSet(x, y);
        graph.fit(ds);
        double[] train = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            graph.fit(ds);
            train[i] = (System.nanoTime() - t) / 1e9;
        }
        return new Result(size, batch, runs, batch / median(inference), batch / median(train), peakRssMb());
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
