package org.baid4j.weights;

import org.baid4j.core.layers.AdaIN;
import org.baid4j.core.model.HeadActivation;
import org.baid4j.core.model.SaanGraph;
import org.baid4j.core.model.TorchvisionResNet;
import org.baid4j.core.plan.ExecutionPlan;
import org.baid4j.core.plan.layers.ChannelsLastConvolutionLayer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.baid4j.testkit.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Block-level parity with PyTorch, from committed fixtures (tools/pytorch/make_block_fixtures.py):
 * AdaIN, the non-local block, a bottleneck stage and the head; outputs in inference and training
 * mode, gradients and BN running statistics in training mode. Bar: relative 1e-4. Each block as
 * declared runs under both execution plans: DL4J's layers alone, and the CPU plan's.
 */
class ReferenceBlockParityTest {
    private static final double OUTPUT_TOLERANCE = 1e-4;
    private static final double GRADIENT_TOLERANCE = 1e-4;

    /** The plans a block runs under. */
    static List<ExecutionPlan> plans() {
        return List.of(ExecutionPlan.cpu(), ExecutionPlan.plain());
    }

    /** A small graph around one block, run by {@code plan}, workspaces off so that input gradients can be read after backprop. */
    private static EpsilonKeepingGraph graph(ExecutionPlan plan, Consumer<GraphBuilder> declare, String output,
                                             InputType... inputs) {
        GraphBuilder g = new NeuralNetConfiguration.Builder()
                .updater(new Sgd(0.0))
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .graphBuilder();
        declare.accept(g);
        g.setInputTypes(inputs).setOutputs(output);
        EpsilonKeepingGraph net = new EpsilonKeepingGraph(plan.configuration(g.build()));
        net.init();
        return net;
    }

    @ParameterizedTest
    @MethodSource("plans")
    void adaInMatchesForwardAndInputGradients(ExecutionPlan plan) throws Exception {
        Fixture f = Fixture.load("adain.pt");
        EpsilonKeepingGraph net = graph(plan, g -> g.addInputs("content", "style").addVertex("adain", new AdaIN(), "content", "style"),
                "adain", InputType.convolutional(5, 6, 4), InputType.convolutional(5, 6, 4));
        INDArray content = f.array("content");
        INDArray style = f.array("style");
        assertClose(f.array("eval", "output"), net.output(false, content, style)[0], OUTPUT_TOLERANCE, "AdaIN output");

        net.feedForward(new INDArray[]{content, style}, true, false);
        net.backpropKeepingEpsilons(f.array("eval", "grad_output"));
        assertClose(f.array("eval", "grad_input0"), net.getVertex("content").getEpsilon(), GRADIENT_TOLERANCE, "dL/dcontent");
        assertClose(f.array("eval", "grad_input1"), net.getVertex("style").getEpsilon(), GRADIENT_TOLERANCE, "dL/dstyle");
    }

    @ParameterizedTest
    @MethodSource("plans")
    void nonLocalBlockMatchesInBothModes(ExecutionPlan plan) throws Exception {
        Fixture f = Fixture.load("nonlocal.pt");
        EpsilonKeepingGraph net = graph(plan, g -> SaanGraph.nonLocalBlock(g.addInputs("x"), SaanGraph.NLB, "x", 8),
                SaanGraph.NLB, InputType.convolutional(6, 6, 8));
        ImportReport report = WeightsImporter.apply(net, f.tensors("state_dict"), CheckpointLayout.SAAN, f.file);
        assertTrue(report.notFilled().isEmpty(), report.summary());
        checkBlock(f, net, report);
    }

    /** The CPU plan runs the ResNets in NHWC (channels-last convolutions, layout changes at the ends). */
    @ParameterizedTest
    @MethodSource("plans")
    void bottleneckStageMatchesInBothModes(ExecutionPlan plan) throws Exception {
        Fixture f = Fixture.load("stage.pt");
        EpsilonKeepingGraph net = graph(plan, g -> new TorchvisionResNet(g.addInputs("x"), SaanGraph.SAB_CONTENT, false)
                        .stage("x", "layer2", 16, 8, 2, 2),
                SaanGraph.SAB_CONTENT + "/layer2.1.relu", InputType.convolutional(8, 8, 16));
        org.deeplearning4j.nn.api.Layer conv = net.getLayer(SaanGraph.SAB_CONTENT + "/layer2.0.conv2");
        boolean cpu = plan == ExecutionPlan.cpu();
        assertEquals(cpu, conv.getHelper() != null, "convolution on oneDNN under the CPU plan only");
        assertEquals(cpu, conv instanceof ChannelsLastConvolutionLayer);
        ImportReport report = WeightsImporter.apply(net, f.tensors("state_dict"), CheckpointLayout.TORCHVISION_RESNET50,
                f.file);
        assertTrue(report.notFilled().isEmpty(), report.summary());
        checkBlock(f, net, report);
    }

    /** Outputs in both modes; parameter gradients and running statistics after a training-mode pass. */
    private static void checkBlock(Fixture f, EpsilonKeepingGraph net, ImportReport report) {
        INDArray x = f.array("input");
        assertClose(f.array("eval", "output"), net.output(false, x)[0], OUTPUT_TOLERANCE, "inference output");
        assertClose(f.array("train", "output"), net.output(true, x)[0], OUTPUT_TOLERANCE, "training output");

        net.feedForward(new INDArray[]{x}, true, false);
        Gradient gradient = net.backpropKeepingEpsilons(f.array("train", "grad_output"));
        assertClose(f.array("train", "grad_input"), net.getVertex("x").getEpsilon(), GRADIENT_TOLERANCE, "dL/dx");
        Map<String, INDArray> grads = gradient.gradientForVariable();
        Map<String, TorchTensor> expected = f.tensors("train", "grads");
        double largest = expected.values().stream()
                .mapToDouble(t -> t.toINDArray().amaxNumber().doubleValue()).max().orElse(1);
        int compared = 0;
        for (Map.Entry<String, TorchTensor> e : expected.entrySet()) {
            String target = single(report.loaded().get(e.getKey()));
            assertClose(e.getValue().toINDArray(), grads.get(target), GRADIENT_TOLERANCE, 1e-2 * largest,
                    "dL/d" + e.getKey());
            compared++;
        }
        assertTrue(compared > 0);
        // Running statistics: DL4J applies them as "gradients" subtracted by a no-op updater.
        Map<String, TorchTensor> after = f.tensors("train", "state_after");
        for (Map.Entry<String, TorchTensor> e : after.entrySet()) {
            if (e.getKey().endsWith("running_mean") || e.getKey().endsWith("running_var")) {
                String target = single(report.loaded().get(e.getKey()));
                INDArray updated = net.getParam(target).sub(grads.get(target));
                assertClose(e.getValue().toINDArray(), updated, OUTPUT_TOLERANCE, e.getKey() + " after one pass");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("plans")
    void headMatchesOutputsLossAndGradients(ExecutionPlan plan) throws Exception {
        Fixture f = Fixture.load("head.pt");
        EpsilonKeepingGraph net = graph(plan, g -> SaanGraph.head(g.addInputs("x"), "x", 8, 16, 2, HeadActivation.RELU, 0.0),
                SaanGraph.OUTPUT, InputType.convolutional(4, 4, 8));
        ImportReport report = WeightsImporter.apply(net, f.tensors("state_dict"), CheckpointLayout.SAAN, f.file);
        assertTrue(report.notFilled().isEmpty(), report.summary());
        INDArray x = f.array("input");
        INDArray labels = f.array("labels");
        assertClose(f.array("eval", "output"), net.output(false, x)[0], OUTPUT_TOLERANCE, "inference output");
        assertClose(f.array("train", "output"), net.output(true, x)[0], OUTPUT_TOLERANCE, "training output");

        net.setInputs(x);
        net.setLabels(labels);
        net.computeGradientAndScore();
        assertEquals(f.array("train", "loss").getDouble(0), net.score(), 1e-6, "MSE loss");
        // DL4J's gradients are sums over the minibatch; its updater divides by the batch size.
        long batch = x.size(0);
        Map<String, INDArray> grads = net.gradient().gradientForVariable();
        for (Map.Entry<String, TorchTensor> e : f.tensors("train", "grads").entrySet()) {
            String target = single(report.loaded().get(e.getKey()));
            INDArray expected = e.getValue().toINDArray().mul(batch);
            if (target.endsWith("fc1_W") || target.endsWith("fc2_W")) {
                expected = expected.transpose();
            }
            assertClose(expected, grads.get(target), GRADIENT_TOLERANCE, "dL/d" + e.getKey());
        }
    }

    /** Backprop from external errors that leaves the input vertices' epsilons (dL/dinput) readable. */
    static final class EpsilonKeepingGraph extends ComputationGraph {
        EpsilonKeepingGraph(org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf) {
            super(conf);
        }

        Gradient backpropKeepingEpsilons(INDArray epsilon) {
            calcBackpropGradients(false, false, epsilon);
            return gradient();
        }
    }

    private static String single(List<String> targets) {
        assertEquals(1, targets.size(), "one graph parameter per key: " + targets);
        return targets.get(0);
    }
}
