package org.baid4j.training.testkit;

import org.baid4j.weights.ImportReport;
import org.baid4j.weights.TorchTensor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bar of the training-step parity tests: one optimiser step of a randomised network in training
 * mode against the same step in PyTorch. A random deep network in training mode is ill-conditioned
 * (training-mode BN subtracts nearly equal terms): PyTorch's own gradients move by up to several
 * percent between one and two threads, so the fixture is made twice and DL4J must be as close to
 * the first as the second is, three times over, plus relative 1e-4. After the step, every
 * parameter must have moved as PyTorch's did (Adam's first steps move each element by about lr),
 * except where the total gradient is within that spread of zero, and every BN running statistic
 * must equal PyTorch's. In float64 the same bar, with a relative term of float64's order.
 *
 * @param report       the import of the PyTorch state into the DL4J graph (names torch key to layer parameter)
 * @param lr           the step's learning rate
 * @param weightDecay  the coupled L2
 * @param relative     the relative term of the gradients' bar (1e-4 in float32)
 */
public record StepParity(ImportReport report, double lr, double weightDecay, double relative) {
    /** The float32 bar. */
    public StepParity(ImportReport report, double lr, double weightDecay) {
        this(report, lr, weightDecay, 1e-4);
    }

    /**
     * Compares DL4J's gradients ({@code actual}, by graph parameter name, times {@code dl4jScale}:
     * the batch size where DL4J sums over the batch) with PyTorch's; returns the worst distance as a
     * share of the bar.
     */
    public double gradients(Map<String, TorchTensor> torch, Map<String, TorchTensor> torchOtherThreads,
                            Map<String, INDArray> actual, double dl4jScale) {
        double worst = 0;
        for (Map.Entry<String, TorchTensor> e : torch.entrySet()) {
            String target = target(e.getKey());
            INDArray got = actual.get(target);
            INDArray expected = dense(target, e.getValue().toINDArray()).mul(dl4jScale).reshape(got.shape());
            INDArray spread = expected.sub(dense(target, torchOtherThreads.get(e.getKey()).toINDArray()).mul(dl4jScale)
                    .reshape(got.shape()));
            double scale = expected.amaxNumber().doubleValue();
            double diff = expected.sub(got).amaxNumber().doubleValue();
            double bar = 3 * spread.amaxNumber().doubleValue() + relative * scale + 1e-12;
            assertTrue(diff <= bar, e.getKey() + ": gradient differs by " + diff + " (PyTorch from itself: "
                    + spread.amaxNumber() + ", scale " + scale + ")");
            worst = Math.max(worst, diff / bar);
        }
        return worst;
    }

    /** What {@link #afterStep} found. */
    public record Step(int tensors, long elements, long steppedOtherWay, double worstStatistic) {
        @Override
        public String toString() {
            return String.format("%d tensors: %d of %d parameter elements stepped the other way, all where the gradient"
                            + " is within PyTorch's own spread of zero, the rest within 1%% of lr; running statistics within"
                            + " relative %.2e", tensors, steppedOtherWay, elements, worstStatistic);
        }
    }

    /**
     * Compares the graph after the step with PyTorch's state after it ({@code after}), given the
     * state before ({@code before}) and both PyTorch runs' loss gradients ({@code grads}, {@code
     * gradsOtherThreads}); keys without a gradient are frozen and must not move.
     */
    public Step afterStep(ComputationGraph graph, Map<String, TorchTensor> before, Map<String, TorchTensor> after,
                          Map<String, TorchTensor> grads, Map<String, TorchTensor> gradsOtherThreads) {
        double worstStat = 0;
        long elements = 0;
        long flips = 0;
        int compared = 0;
        for (Map.Entry<String, TorchTensor> e : after.entrySet()) {
            if (e.getKey().endsWith("num_batches_tracked")) {
                continue;
            }
            String target = target(e.getKey());
            INDArray actual = graph.getParam(target);
            INDArray expected = dense(target, e.getValue().toINDArray()).reshape(actual.shape());
            compared++;
            if (e.getKey().endsWith("running_mean") || e.getKey().endsWith("running_var")) {
                double scale = Math.max(1, expected.amaxNumber().doubleValue());
                double diff = expected.sub(actual).amaxNumber().doubleValue();
                assertTrue(diff <= Math.max(relative, 1e-9) * scale, e.getKey() + ": running statistic differs by " + diff);
                worstStat = Math.max(worstStat, diff / scale);
                continue;
            }
            // Where the total gradient (loss + wd * p) is within float noise of zero the two frameworks
            // may step in opposite directions: allowed only there, and only for few elements.
            INDArray p0 = dense(target, before.get(e.getKey()).toINDArray()).reshape(actual.shape());
            TorchTensor g = grads.get(e.getKey());
            INDArray total = g == null ? p0.mul(0) : dense(target, g.toINDArray()).reshape(actual.shape()).add(p0.mul(weightDecay));
            INDArray spread = g == null ? p0.mul(0) : Transforms.abs(dense(target, g.toINDArray())
                    .sub(dense(target, gradsOtherThreads.get(e.getKey()).toINDArray())).reshape(actual.shape()));
            double noise = 1e-3 * total.amaxNumber().doubleValue();
            INDArray off = Transforms.abs(expected.sub(actual)).gt(0.01 * lr);
            INDArray ambiguous = Transforms.abs(total).lt(spread.mul(3).addi(noise + 1e-9));
            long offCount = off.castTo(DataType.INT32).sumNumber().longValue();
            long unexplained = off.castTo(DataType.INT32).mul(ambiguous.castTo(DataType.INT32).rsub(1)).sumNumber().longValue();
            assertEquals(0, unexplained, e.getKey() + ": " + unexplained + " elements step differently although their"
                    + " gradient is clear");
            if (g == null) {
                assertEquals(0, offCount, e.getKey() + " is frozen: unchanged in both");
            }
            elements += actual.length();
            flips += offCount;
        }
        long counters = after.keySet().stream().filter(k -> k.endsWith("num_batches_tracked")).count();
        assertEquals(after.size() - counters, compared, "every tensor of PyTorch's state compared");
        assertTrue(flips < elements / 100, flips + " of " + elements + " elements stepped differently");
        return new Step(compared, elements, flips, worstStat);
    }

    private String target(String torchKey) {
        return report.loaded().get(torchKey).get(0);
    }

    /** Linear weights are [out, in] in PyTorch and [in, out] in DL4J. */
    private static INDArray dense(String target, INDArray torchValue) {
        return torchValue.rank() == 2 && !target.endsWith("_b") ? torchValue.transpose() : torchValue;
    }
}
