package org.baid4j.core.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.linalg.schedule.MapSchedule;
import org.nd4j.linalg.schedule.ScheduleType;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TorchAdamTest {
    /**
     * torch.optim.Adam's step, in double precision beside the updater's float one, over steps
     * whose gradients span magnitudes from 1e-9 (where epsilon decides the step) to 10, with a
     * learning rate that changes between steps. Float arithmetic puts either form 7e-5 from the
     * double one; DL4J's own Adam, with epsilon on the uncorrected root, is 24% off at 1e-6.
     */
    @Test
    void stepsAreTorchsAdamAcrossGradientMagnitudes() {
        int n = 4000;
        double b1 = 0.5;
        double b2 = 0.999;
        double eps = 1e-8;
        ISchedule lr = new MapSchedule(ScheduleType.ITERATION, Map.of(0, 1e-3, 3, 2e-4));
        TorchAdam adam = new TorchAdam(lr, b1, b2, eps);
        GradientUpdater<?> updater = adam.instantiate(Nd4j.create(DataType.FLOAT, 1, 2L * n), true);
        double[] m = new double[n];
        double[] v = new double[n];
        SplittableRandom random = new SplittableRandom(7);
        double worst = 0;
        for (int iteration = 0; iteration < 6; iteration++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                double magnitude = Math.pow(10, -9 + 10 * (double) i / n);
                g[i] = (float) (magnitude * (random.nextBoolean() ? 1 : -1) * (0.5 + random.nextDouble()));
            }
            INDArray gradient = Nd4j.createFromArray(g).reshape(1, n);
            updater.applyUpdater(gradient, iteration, 0);
            int t = iteration + 1;
            double rate = lr.valueAt(iteration, 0);
            for (int i = 0; i < n; i++) {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * (double) g[i];
                double step = rate / (1 - Math.pow(b1, t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
                double got = gradient.getDouble(0, i);
                worst = Math.max(worst, Math.abs(got - step) / Math.abs(step));
            }
        }
        assertTrue(worst < 2e-4, "relative difference from torch's step: " + worst);
    }

    /** The state (m, v) is where DL4J keeps it, in the view array: it carries from step to step. */
    @Test
    void theStateLivesInTheViewArray() {
        INDArray view = Nd4j.create(DataType.FLOAT, 1, 6);
        GradientUpdater<?> updater = new TorchAdam(1e-3, null, 0.9, 0.999, 1e-8).instantiate(view, true);
        updater.applyUpdater(Nd4j.createFromArray(new float[]{1, -2, 4}).reshape(1, 3), 0, 0);
        assertEquals(0.1, view.getDouble(0, 0), 1e-6);    // m = (1 - b1) g
        assertEquals(-0.2, view.getDouble(0, 1), 1e-6);
        assertEquals(0.016, view.getDouble(0, 5), 1e-6);  // v = (1 - b2) g^2
    }
}
