package org.baid4j.core.plan;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanGraph;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.core.plan.onednn.WinogradForward;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SAAN's scoring pass with fixed parameters (every BatchNorm after a convolution folded into it,
 * with the residual adds and ReLUs after them) against the same network's ordinary inference,
 * every BatchNorm statistic and affine parameter random and the output layer scaled so that the
 * scores spread unsaturated. Then the network trains a step: it scores as an ordinary one again.
 */
class InferenceFusionTest {

    @Test
    void theFusedScoringPassScoresAsTheNetworkDoes() {
        SaanConfig config = SaanConfig.reference().withInputSize(64).withDropout(0);
        PlannedGraph graph = (PlannedGraph) SaanGraph.build(config, OptimiserConfig.reference(), SaanGraph.REFERENCE_EPOCHS,
                ExecutionPlan.cpu());
        Nd4j.getRandom().setSeed(21);
        for (Map.Entry<String, INDArray> p : graph.paramTable().entrySet()) {
            String key = p.getKey();
            INDArray v = p.getValue();
            if (key.endsWith("_gamma") || key.endsWith("_var")) {
                v.assign(Nd4j.rand(v.dataType(), v.shape()).addi(0.5));
            } else if (key.endsWith("_beta") || key.endsWith("_mean")) {
                v.assign(Nd4j.randn(v.dataType(), v.shape()).muli(0.1));
            }
        }
        INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 64, 64).subi(0.5).muli(4);
        // The output layer calibrated on these images: logits of mean 0 and deviation 1.5.
        INDArray hidden = graph.feedForward(images, false).get(graph.getConfiguration().getVertexInputs().get(SaanGraph.OUTPUT).get(0));
        INDArray w = graph.getLayer(SaanGraph.OUTPUT).getParam("W");
        INDArray logits = hidden.mmul(w);
        w.muli(1.5 / logits.stdNumber().doubleValue());
        graph.getLayer(SaanGraph.OUTPUT).getParam("b").assign(-hidden.mmul(w).meanNumber().doubleValue());

        INDArray plain = graph.outputSingle(images).dup();
        double spread = plain.maxNumber().doubleValue() - plain.minNumber().doubleValue();
        assertTrue(spread > 0.2 && plain.minNumber().doubleValue() > 0.02 && plain.maxNumber().doubleValue() < 0.98,
                "scores spread, unsaturated: " + plain);

        graph.fixParameters();
        assertEquals(batchNormsAfterConvolutions(graph), graph.fusedConvolutions());
        int winograd = WinogradForward.shapesMade();
        for (int pass = 0; pass < 2; pass++) {   // the second reuses the kept weights and the workspaces
            INDArray fused = graph.outputSingle(images);
            double diff = fused.sub(plain).amaxNumber().doubleValue();
            // Folding rounds the weights once more, 70 times over: 1e-5 of the sigmoid is 1e-4 on the
            // 0-10 scale, half the bar against the reference.
            assertTrue(diff < 1e-5, "pass " + pass + ": fused scores differ by " + diff + ": " + fused + " vs " + plain);
        }
        // The ResNets' 3x3 stride-1 convolutions, their BatchNorm and ReLU folded in, ran by Winograd's
        // algorithm: three shapes new to it at 64 px (16x16x64, 8x8x128 and 4x4x256; VGG's are larger).
        assertEquals(winograd + 3, WinogradForward.shapesMade());

        // A batch of another size (new primitives, the weights folded again for them), then
        // training: the network is an ordinary one again.
        INDArray first = graph.outputSingle(images.get(NDArrayIndex.interval(0, 1)));
        assertTrue(first.sub(plain.get(NDArrayIndex.interval(0, 1))).amaxNumber().doubleValue() < 1e-5, first + " vs " + plain);
        graph.fit(new DataSet(images, Nd4j.rand(DataType.FLOAT, 4, 1)));
        assertEquals(0, graph.fusedConvolutions());
        ComputationGraph copy = new ComputationGraph(graph.getConfiguration());
        copy.init(graph.params().dup(), false);
        assertTrue(graph.outputSingle(images).sub(copy.outputSingle(images)).amaxNumber().doubleValue() < 1e-6);
    }

    /** Vertices of a BatchNorm (frozen or not) that read a convolution: 43 in GAB's ResNet, 24 in SAB's, the non-local block's one. */
    private static int batchNormsAfterConvolutions(PlannedGraph graph) {
        int n = 0;
        var vertices = graph.getConfiguration().getVertices();
        for (var e : graph.getConfiguration().getVertexInputs().entrySet()) {
            if (isLayer(vertices.get(e.getKey()), BatchNormalization.class) && e.getValue().size() == 1
                    && isLayer(vertices.get(e.getValue().get(0)), ConvolutionLayer.class)) {
                n++;
            }
        }
        assertEquals(43 + 24 + 1, n);
        return n;
    }

    private static boolean isLayer(org.deeplearning4j.nn.conf.graph.GraphVertex v, Class<?> type) {
        if (!(v instanceof LayerVertex lv)) {
            return false;
        }
        var layer = lv.getLayerConf().getLayer();
        while (layer instanceof FrozenLayer f) {
            layer = f.getLayer();
        }
        if (layer instanceof org.baid4j.core.layers.FrozenBatchNormalization f) {
            layer = f.getLayer();
        }
        return type.isInstance(layer);
    }
}
