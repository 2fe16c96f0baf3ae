package org.baid4j.core.optim;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.schedule.ISchedule;

import static org.junit.jupiter.api.Assertions.*;

/** The optimiser section's schedules: the reference's step, a constant, a cosine; all survive DL4J's JSON. */
class LearningRateScheduleTest {

    @Test
    void eachScheduleGivesItsRatePerEpoch() {
        ISchedule step = LearningRateSchedule.REFERENCE_STEP.of(1e-5, 100);
        assertEquals(1e-5, step.valueAt(0, 10));
        assertEquals(1e-6, step.valueAt(0, 11), 1e-20);
        ISchedule constant = LearningRateSchedule.CONSTANT.of(3e-4, 100);
        assertEquals(3e-4, constant.valueAt(0, 0));
        assertEquals(3e-4, constant.valueAt(0, 99));
        ISchedule cosine = LearningRateSchedule.COSINE.of(1e-3, 10);
        assertEquals(1e-3, cosine.valueAt(0, 0), 1e-15);
        assertEquals(5e-4, cosine.valueAt(0, 5), 1e-15);
        assertEquals(0, cosine.valueAt(0, 10), 1e-15);
        assertTrue(cosine.valueAt(0, 3) < cosine.valueAt(0, 2));
    }

    @Test
    void schedulesAreParsedByTheirNames() {
        assertEquals(LearningRateSchedule.COSINE, LearningRateSchedule.parse("cosine"));
        assertEquals(LearningRateSchedule.REFERENCE_STEP, LearningRateSchedule.parse("step"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("linear"));
        assertTrue(e.getMessage().contains("linear"), e.getMessage());
    }

    @Test
    void theCosineScheduleSurvivesTheGraphConfigurationsJson() {
        TorchAdam adam = new OptimiserConfig(1e-3, 0.9, 0.999, 1e-8, 0, LearningRateSchedule.COSINE).updater(20);
        var conf = new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().updater(adam).graphBuilder()
                .addInputs("in").addLayer("out", new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE).nIn(2).nOut(1)
                        .activation(org.nd4j.linalg.activations.Activation.IDENTITY)
                        .build(), "in").setOutputs("out").build();
        var back = org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(conf.toJson());
        var layer = ((org.deeplearning4j.nn.conf.graph.LayerVertex) back.getVertices().get("out")).getLayerConf().getLayer();
        var updater = ((org.deeplearning4j.nn.conf.layers.BaseLayer) layer).getIUpdater();
        assertEquals(adam.getLearningRate(0, 7), updater.getLearningRate(0, 7), 0);
        assertEquals(conf.toJson(), back.toJson());
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> OptimiserConfig.reference().withLearningRate(0));
        assertThrows(IllegalArgumentException.class,
                () -> new OptimiserConfig(1e-3, 1.0, 0.999, 1e-8, 0, LearningRateSchedule.CONSTANT));
    }
}
