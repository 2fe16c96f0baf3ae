package org.baid4j.training.saan;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.testkit.ReferencePython;
import org.baid4j.training.testkit.StepParity;
import org.baid4j.core.model.SaanModel;
import org.baid4j.weights.CheckpointLayout;
import org.baid4j.weights.ImportReport;
import org.baid4j.weights.TorchCheckpoint;
import org.baid4j.weights.TorchTensor;
import org.baid4j.weights.WeightsImporter;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * One training step equals the same step in PyTorch (tools/pytorch/make_training_step_fixture.py,
 * made at test time): a randomised full SAAN in training mode, PyTorch's Adam with coupled L2
 * (weight decay on every trainable parameter, BN included), MSE on score / 10. After the step every
 * parameter and every BN running statistic must equal PyTorch's, the frozen branches unchanged.
 *
 * <p>The bar is PyTorch's own spread ({@link StepParity}): the fixture is made with 1 and with 2
 * threads.
 */
@Tag("parity")
class TrainingStepParityTest {
    static final double LR = 1e-3;

    @Test
    void oneStepEqualsPyTorchs(@TempDir Path dir) throws Exception {
        String made = run("make_training_step_fixture.py", dir.toString(), "--lr", Double.toString(LR), "--threads", "1");
        System.out.println("[training-step parity] reference: " + made.trim());
        Path second = dir.resolve("two-threads");
        run("make_training_step_fixture.py", second.toString(), "--lr", Double.toString(LR), "--threads", "2");
        Map<String, TorchTensor> grads2 = TorchCheckpoint.read(second.resolve("grads.pth")).stateDict();
        SaanModel model = SaanModel.create(SaanConfig.reference().withInputSize(64).withDropout(0),
                OptimiserConfig.reference().withLearningRate(LR), 1);
        ComputationGraph graph = model.graph();
        ImportReport report = WeightsImporter.load(graph, dir.resolve("before.pth"), CheckpointLayout.SAAN);
        assertTrue(report.notFilled().isEmpty(), report.summary());
        Map<?, ?> batch = (Map<?, ?>) TorchCheckpoint.read(dir.resolve("batch.pt")).root();
        INDArray x = ((TorchTensor) batch.get("x")).toINDArray();
        INDArray y = ((TorchTensor) batch.get("y")).toINDArray();
        INDArray before = ((TorchTensor) batch.get("output")).toINDArray();
        // Training-mode forward passes move the frozen GAB's running statistics, as PyTorch's do: the
        // two below (output, gradients) are undone before the step, the one pass the fixture made.
        INDArray parametersBefore = graph.params().dup();
        assertEquals(0, before.sub(graph.output(true, x)[0]).amaxNumber().doubleValue(), 1e-4, "training-mode output");

        // Gradients of the loss (DL4J sums over the batch; its updater divides by the batch size).
        graph.setInputs(x);
        graph.setLabels(y);
        graph.computeGradientAndScore();
        StepParity parity = new StepParity(report, LR, OptimiserConfig.reference().weightDecay());
        Map<String, TorchTensor> grads = TorchCheckpoint.read(dir.resolve("grads.pth")).stateDict();
        double worstGrad = parity.gradients(grads, grads2, graph.gradient().gradientForVariable(), x.size(0));

        graph.setParams(parametersBefore);
        double penalty = graph.calcRegularizationScore(true);   // DL4J's score adds it to the loss
        graph.fit(new DataSet(x, y));
        double loss = graph.score() - penalty;
        assertEquals(((TorchTensor) batch.get("loss")).item(), loss, 1e-5, "MSE before the step");

        StepParity.Step step = parity.afterStep(graph, TorchCheckpoint.read(dir.resolve("before.pth")).stateDict(),
                TorchCheckpoint.read(dir.resolve("after.pth")).stateDict(), grads, grads2);
        System.out.printf("[training-step parity] gradients within %.2f of the bar (3x PyTorch's own spread + 1e-4"
                + " relative); after the step: %s%n", worstGrad, step);
    }

    private static String run(String script, String... args) throws Exception {
        return ReferencePython.run(script, args);
    }
}
