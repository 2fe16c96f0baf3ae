package org.baid4j.core.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression for M2.1's SameDiff vertex workspace defect: with workspaces on, the vertices used to
 * lose their constants after the first fit (AdaIN's epsilon, when AdaIN was a SameDiff vertex, read
 * back as garbage; reduce axes corrupted). Several fits with workspaces on must give the scores of
 * workspaces off, for the non-local attention (a SameDiff vertex) beside AdaIN.
 */
class ScopedSameDiffVertexTest {

    private static ComputationGraph net(WorkspaceMode mode) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7).updater(new Adam(1e-2)).dataType(DataType.DOUBLE)
                .trainingWorkspaceMode(mode).inferenceWorkspaceMode(mode)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("x")
                .addLayer("content", new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.TANH).build(), "x")
                .addLayer("style", new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.TANH).build(), "x")
                .addLayer("theta", new ConvolutionLayer.Builder(1, 1).nOut(4).build(), "content")
                .addLayer("phi", new ConvolutionLayer.Builder(1, 1).nOut(4).build(), "style")
                .addLayer("g", new ConvolutionLayer.Builder(1, 1).nOut(4).build(), "style")
                .addVertex("adain", new AdaIN(), "content", "style")
                .addVertex("attention", new NonLocalAttention(), "theta", "phi", "g")
                .addLayer("poolA", new GlobalPoolingLayer(PoolingType.AVG), "adain")
                .addLayer("poolB", new GlobalPoolingLayer(PoolingType.AVG), "attention")
                .addVertex("merge", new org.deeplearning4j.nn.conf.graph.MergeVertex(), "poolA", "poolB")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                        .activation(Activation.SIGMOID).build(), "merge")
                .setInputTypes(InputType.convolutional(6, 6, 3))
                .setOutputs("out")
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void fitsWithWorkspacesOnEqualFitsWithWorkspacesOff() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3, 6, 6);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 4, 1);
        ComputationGraph on = net(WorkspaceMode.ENABLED);
        ComputationGraph off = net(WorkspaceMode.NONE);
        double[] scoresOn = new double[4];
        double[] scoresOff = new double[4];
        for (int i = 0; i < 4; i++) {
            on.fit(new MultiDataSet(x, y));
            off.fit(new MultiDataSet(x, y));
            scoresOn[i] = on.score();
            scoresOff[i] = off.score();
            assertTrue(Double.isFinite(scoresOn[i]), "score " + i + " with workspaces: " + scoresOn[i]);
        }
        assertArrayEquals(scoresOff, scoresOn, 1e-12);
        assertTrue(scoresOn[3] < scoresOn[0], "it learns");
        assertArrayEquals(off.params().toDoubleVector(), on.params().toDoubleVector(), 1e-12);
    }

    @Test
    void aClonedConfigurationKeepsWhatDl4jSetOnTheVertices() {
        ComputationGraph original = net(WorkspaceMode.ENABLED);
        ComputationGraphConfiguration copy = original.getConfiguration().clone();
        for (String name : new String[]{"attention"}) {
            ScopedSameDiffVertex before = (ScopedSameDiffVertex) original.getConfiguration().getVertices().get(name);
            ScopedSameDiffVertex after = (ScopedSameDiffVertex) copy.getVertices().get(name);
            assertNotSame(before, after, name);
            assertEquals(before.getClass(), after.getClass(), name);
            assertNotNull(before.getUpdater(), name + ": the global updater was applied");
            assertEquals(before.getUpdater(), after.getUpdater(), name);
            assertEquals(before.getDataType(), after.getDataType(), name);
            assertEquals(before.getLayerName(), after.getLayerName(), name);
        }
        // A network built from the clone (as Spark's workers and ParallelWrapper's replicas build theirs) trains alike.
        ComputationGraph rebuilt = new ComputationGraph(copy);
        rebuilt.init(original.params().dup(), true);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 4, 3, 6, 6);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 4, 1);
        for (int i = 0; i < 2; i++) {
            original.fit(new MultiDataSet(x, y));
            rebuilt.fit(new MultiDataSet(x, y));
        }
        assertArrayEquals(original.params().toDoubleVector(), rebuilt.params().toDoubleVector(), 1e-12);
    }
}
