package org.baid4j.core.model;

import org.baid4j.core.optim.ReferenceLearningRate;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class SaanGraphTest {

    @Test
    void fullModelHasTheReferenceParameterCounts() {
        ComputationGraph net = SaanGraph.build(SaanConfig.reference());
        ParameterCounts counts = ParameterCounts.of(net);
        assertEquals(30_809_537L, counts.total());
        assertEquals(18_760_513L, counts.trainable());
    }

    @Test
    void parameterCountsDoNotDependOnInputSize() {
        ParameterCounts counts = ParameterCounts.of(SaanGraph.build(SaanConfig.reference().withInputSize(96)));
        assertEquals(30_809_537L, counts.total());
    }

    @ParameterizedTest
    @EnumSource(SaanVariant.class)
    void everyVariantScoresABatchAsItsGraphDoes(SaanVariant variant) {
        SaanModel model = SaanModel.create(SaanConfig.of(variant).withInputSize(64));
        assertEquals(variant, model.variant());
        assertEquals(64, model.inputSize());
        INDArray images = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 3, 64, 64);
        assertEquals(3, model.scores(images).length);
        // Ten times the graph's sigmoid output.
        double[] expected = model.graph().outputSingle(false, images).muli(10).reshape(3).toDoubleVector();
        assertArrayEquals(expected, model.scores(images), 1e-6);
        // The non-local block sees the variant's channel count.
        long[] fused = model.graph().getParam("nlb/theta_W").shape();
        assertEquals(variant.fusedChannels(), fused[1]);
        assertEquals(variant.fusedChannels() / 2, fused[0]);
    }

    @Test
    void theLearningRateFollowsTheReferenceStepSchedule() {
        ReferenceLearningRate lr = new ReferenceLearningRate(1e-5);
        assertEquals(1e-5, lr.during(0));
        assertEquals(1e-5, lr.during(10), "epochs 0-10 at lr");
        assertEquals(1e-6, lr.during(11), 1e-20);
        assertEquals(1e-6, lr.during(20), 1e-20);
        assertEquals(1e-7, lr.during(21), 1e-21);
        assertEquals(1e-8, lr.during(40), 1e-22);
        assertEquals(1e-9, lr.during(41), 1e-23);
        assertEquals(1e-9, lr.during(99), 1e-23);
    }

    @Test
    void rejectsInputSizesThatAreNotMultiplesOf32() {
        assertThrows(IllegalArgumentException.class, () -> SaanConfig.reference().withInputSize(100));
        assertThrows(IllegalArgumentException.class, () -> SaanConfig.reference().withInputSize(32));
    }

    @Test
    void trainingChangesOnlyTrainableParametersAndKeepsFrozenBranchesFixed() {
        SaanModel model = SaanModel.create(SaanConfig.reference().withInputSize(64),
                org.baid4j.core.optim.OptimiserConfig.reference().withLearningRate(1e-3), 1);
        ComputationGraph net = model.graph();
        INDArray gabConv = net.getParam("gab/conv1_W").dup();
        INDArray gabGamma = net.getParam("gab/bn1_gamma").dup();
        INDArray gabRunningMean = net.getParam("gab/bn1_mean").dup();
        INDArray vgg = net.getParam("sab/vgg/conv1_1_W").dup();
        INDArray content = net.getParam("sab/content/conv1_W").dup();
        INDArray fc1 = net.getParam("head/fc1_W").dup();

        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 3, 64, 64);
        INDArray y = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 4, 1);
        net.fit(new org.nd4j.linalg.dataset.DataSet(x, y));

        assertTrue(gabConv.equals(net.getParam("gab/conv1_W")), "GAB conv frozen");
        assertTrue(gabGamma.equals(net.getParam("gab/bn1_gamma")), "GAB BN affine frozen");
        assertFalse(gabRunningMean.equals(net.getParam("gab/bn1_mean")), "GAB BN statistics follow the batches, as under model.train()");
        assertTrue(vgg.equals(net.getParam("sab/vgg/conv1_1_W")), "VGG frozen");
        assertFalse(content.equals(net.getParam("sab/content/conv1_W")), "SAB content ResNet trains");
        assertFalse(fc1.equals(net.getParam("head/fc1_W")), "head trains");
    }

    @Test
    void savesAndLoadsWithItsCustomLayers(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        SaanModel model = SaanModel.create(SaanConfig.of(SaanVariant.FULL).withInputSize(64));
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 64, 64);
        double[] before = model.scores(x);
        File file = dir.resolve("saan.zip").toFile();
        model.save(file);
        SaanModel loaded = SaanModel.load(file);
        assertArrayEquals(before, loaded.scores(x), 1e-6);
        assertEquals(SaanVariant.FULL, loaded.variant());
        assertEquals(64, loaded.inputSize());
    }

    @Test
    void loadingSomethingElseNamesTheFile(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path bogus = dir.resolve("notes.zip");
        Files.writeString(bogus, "not a zip");
        Exception e = assertThrows(java.io.IOException.class, () -> SaanModel.load(bogus.toFile()));
        assertTrue(e.getMessage().contains("notes.zip"), e.getMessage());
    }
}
