package org.baid4j.experiments.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.experiments.testkit.Cli;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchTest {
    /**
     * {@code bench --sizes --batches --json}: a row per size, batch and mode, each measured in a
     * process of its own for both frameworks, with each round's figures and the ratios.
     */
    @Test
    void benchMeasuresEachRowInItsOwnProcessForBothFrameworks() throws Exception {
        Cli.Run run = Cli.run("bench", "--skip-data", "--json", "--pytorch", "--sizes", "64", "--batches", "1,2",
                "--modes", "inference", "--runs", "1", "--rounds", "2");
        assertEquals(0, run.exit(), run.err());
        JsonNode rows = new ObjectMapper().readTree(run.out()).get("model");
        assertEquals(2, rows.size(), run.out());
        for (int i = 0; i < 2; i++) {
            JsonNode row = rows.get(i);
            assertEquals("inference", row.get("mode").asText());
            assertEquals(64, row.get("size").asInt());
            assertEquals(i + 1, row.get("batch").asInt());
            for (String framework : List.of("baid4j", "pytorch")) {
                JsonNode f = row.get(framework);
                assertEquals(2, f.get("img_per_s_rounds").size(), row.toString());
                assertTrue(f.get("img_per_s").asDouble() > 0, row.toString());
                // a process of its own: a JVM or an interpreter with a model, not this test's JVM
                assertTrue(f.get("peak_rss_mb").asDouble() > 100 && f.get("peak_rss_mb").asDouble() < 8000, row.toString());
                assertNull(f.get("failure"), row.toString());
            }
            // the ratio is the median of the rounds' ratios (two rounds: their mean), not the ratio of the medians
            JsonNode ours = row.get("baid4j").get("img_per_s_rounds");
            JsonNode theirs = row.get("pytorch").get("img_per_s_rounds");
            double expected = (ours.get(0).asDouble() / theirs.get(0).asDouble()
                    + ours.get(1).asDouble() / theirs.get(1).asDouble()) / 2;
            assertEquals(expected, row.get("speed_ratio").asDouble(), 0.002, row.toString());
        }
        // the rounds alternate: the progress lines name baid4j and pytorch in turn
        List<String> order = run.err().lines().filter(l -> l.startsWith("bench: ")).map(l -> l.split(" ")[1]).toList();
        assertEquals(List.of("baid4j", "pytorch", "baid4j", "pytorch", "baid4j", "pytorch", "baid4j", "pytorch"), order);
    }

    @Test
    void theRatiosAreTheMediansOfTheRoundsRatiosSoThatTheMachinesDriftCancels() {
        // Round 2 ran on a faster machine for both: the ratio of medians (6 / 3) would hide that
        // baid4j was three times as fast in two rounds of three.
        ScalingBench.Figures ours = new ScalingBench.Figures(List.of(3.0, 6.0, 9.0), List.of(100.0, 300.0, 200.0), null, "baid4j");
        ScalingBench.Figures theirs = new ScalingBench.Figures(List.of(1.0, 6.0, 3.0), List.of(100.0, 100.0, 100.0), null, "pytorch");
        ScalingBench.Row row = new ScalingBench.Row(ModelBench.Mode.TRAIN, 224, 8, ours, theirs);
        assertEquals(3.0, row.speedRatio(), 1e-12);
        assertEquals(2.0, row.memoryRatio(), 1e-12);
        assertEquals(3.0, (Double) row.json().get("speed_ratio"), 1e-12);
        ScalingBench.Row unequal = new ScalingBench.Row(ModelBench.Mode.TRAIN, 224, 8, ours,
                new ScalingBench.Figures(List.of(2.0), List.of(100.0), null, "pytorch"));
        assertEquals(3.0, unequal.speedRatio(), 1e-12);
    }

    @Test
    void aMeasurementPastTheMemoryCapIsStoppedAndItsRowSaysSo() throws Exception {
        List<ScalingBench.Row> rows = ScalingBench.run(new ScalingBench.Plan(List.of(64), List.of(1),
                List.of(ModelBench.Mode.TRAIN), 1, 1, false, 2, 60), line -> { });
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
