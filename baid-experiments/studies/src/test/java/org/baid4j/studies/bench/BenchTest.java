package org.baid4j.studies.bench;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.studies.bench.ModelBench;
import org.baid4j.studies.bench.ScalingBench;
import org.baid4j.studies.bench.StepProfile;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bench's own parts: ratios, memory caps, the profiled step. */
class BenchTest {
    @Test
    void theRatiosAreTheMediansOfTheRoundsRatiosSoThatTheMachinesDriftCancels() {
        // Round 2 ran on a faster machine for both: the ratio of medians (6 / 3) would hide that
        // baid4j was three times as fast in two rounds of three.
        ScalingBench.Figures ours = new ScalingBench.Figures(List.of(3.0, 6.0, 9.0), List.of(100.0, 300.0, 200.0), List.of(), null, "baid4j");
        ScalingBench.Figures theirs = new ScalingBench.Figures(List.of(1.0, 6.0, 3.0), List.of(100.0, 100.0, 100.0), List.of(), null, "pytorch");
        ScalingBench.Row row = new ScalingBench.Row(ModelBench.Mode.TRAIN, 224, 8, ours, theirs, null);
        assertEquals(3.0, row.speedRatio(), 1e-12);
        assertEquals(2.0, row.memoryRatio(), 1e-12);
        assertEquals(3.0, (Double) row.json().get("speed_ratio"), 1e-12);
        ScalingBench.Row unequal = new ScalingBench.Row(ModelBench.Mode.TRAIN, 224, 8, ours,
                new ScalingBench.Figures(List.of(2.0), List.of(100.0), List.of(), null, "pytorch"), null);
        assertEquals(3.0, unequal.speedRatio(), 1e-12);
        // The best peer, round by round: ONNX Runtime faster in rounds 1 and 3, PyTorch in round 2.
        ScalingBench.Figures runtime = new ScalingBench.Figures(List.of(1.5, 2.0, 4.5), List.of(50.0, 50.0, 50.0), List.of(), null,
                "onnxruntime");
        ScalingBench.Row three = new ScalingBench.Row(ModelBench.Mode.INFERENCE, 224, 1, ours, theirs, runtime);
        assertEquals(2.0, three.bestPeerRatio(), 1e-12, "3/1.5, 6/6, 9/4.5");
        assertEquals(2.0, (Double) three.json().get("speed_ratio_best_peer"), 1e-12);
    }

    @Tag("bench")
    @Test
    void aMeasurementPastTheMemoryCapIsStoppedAndItsRowSaysSo() throws Exception {
        List<ScalingBench.Row> rows = ScalingBench.run(new ScalingBench.Plan(List.of(64), List.of(1),
                List.of(ModelBench.Mode.TRAIN), 1, 1, false, false, 2, 60), line -> { });
        ScalingBench.Figures f = rows.get(0).baid4j();
        assertTrue(f.imagesPerSecond().isEmpty());
        assertTrue(f.failure().contains("past the cap of 60 MB"), f.failure());
    }

    /** The profile's vertex-by-vertex pass is DL4J's own: it computes the gradient fit() computes. */
    @Test
    void theProfiledStepComputesTheGradientFitComputes() {
        ComputationGraph graph = SaanModel.create(SaanConfig.reference().withInputSize(64).withDropout(0)).graph();
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64).subi(0.5).muli(4);
        INDArray y = Nd4j.rand(DataType.FLOAT, 2, 1);
        ComputationGraph theirs = graph.clone();
        theirs.setInputs(x);
        theirs.setLabels(y);
        theirs.computeGradientAndScore();
        INDArray expected = theirs.gradient().gradient().dup();
        INDArray got = StepProfile.gradient(graph.clone(), x, y).dup();
        double scale = expected.amaxNumber().doubleValue();
        assertTrue(scale > 0);
        double worst = got.sub(expected).amaxNumber().doubleValue() / scale;
        assertTrue(worst < 1e-5, "largest difference, relative to the largest gradient: " + worst);
    }

    @Test
    void everyPartOfTheFigureHasItsTimeAndActivations() {
        StepProfile.Profile p = StepProfile.run(64, 2, 1);
        assertEquals(StepProfile.PARTS, p.parts().stream().map(StepProfile.Part::name).toList());
        for (StepProfile.Part part : p.parts()) {
            if (!part.name().equals("updater")) {
                assertTrue(part.forwardMs() > 0 && part.activationMb() > 0, part.toString());
            }
        }
        StepProfile.Part sab = p.parts().get(StepProfile.PARTS.indexOf("SAB content"));
        StepProfile.Part gab = p.parts().get(StepProfile.PARTS.indexOf("GAB"));
        assertTrue(sab.backwardMs() > gab.backwardMs(), "the frozen GAB has no backward pass: " + p.parts());
        assertTrue(p.parts().get(StepProfile.PARTS.indexOf("updater")).backwardMs() > 0);
        assertTrue(p.fitStepMs() > 0 && p.partsMs() > 0);
    }
}
