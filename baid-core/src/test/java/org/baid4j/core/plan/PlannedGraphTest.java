package org.baid4j.core.plan;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanGraph;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.core.plan.onednn.KeptWeights;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * SAAN's training step in the CPU plan's network, with the activations no backward pass reads
 * freed once read, computes exactly what DL4J's own step computes on the same layers (through the
 * updater's standard path, without the weight-decay norm in the score), keeps far less in DL4J's
 * activations workspace, and the networks that files and clones give are such networks.
 */
class PlannedGraphTest {
    private static final SaanConfig CONFIG = SaanConfig.reference().withInputSize(64).withDropout(0);

    static PlannedGraph build() {
        return (PlannedGraph) SaanGraph.build(CONFIG, OptimiserConfig.reference(), SaanGraph.REFERENCE_EPOCHS, ExecutionPlan.cpu());
    }

    @Test
    void whatNoBackwardPassReadsIsFreedEarly() {
        List<String> freed = build().freedEarly();
        assertTrue(freed.contains("gab/layer1.0.conv1"), freed.toString());
        assertTrue(freed.contains("gab/layer2.3.add"), "the frozen residual adds");
        assertTrue(freed.contains("sab/vgg/conv1_1"), freed.toString());
        // The branches' last maps go once changed to NCHW; the changed maps, which the fusion and
        // AdaIN read in their backward passes, stay.
        assertTrue(freed.contains("gab/layer3.5.relu") && freed.contains("sab/vgg/conv4_1"), freed.toString());
        assertFalse(freed.contains("gab/layer3.5.relu.nchw"));
        assertFalse(freed.contains("sab/vgg/conv4_1.nchw"));
        // In the trainable content ResNet: the BatchNorms' and the adds' outputs, which only a ReLU
        // or an add reads; not the convolutions' (their BatchNorms read them backward) nor the ReLUs'.
        assertTrue(freed.containsAll(List.of("sab/content/bn1", "sab/content/layer1.0.bn1", "sab/content/layer1.0.bn3",
                "sab/content/layer1.0.downsample.1", "sab/content/layer2.3.add")), freed.toString());
        assertTrue(freed.stream().noneMatch(v -> v.startsWith("sab/content") && (v.contains("conv") || v.endsWith("relu")
                || v.endsWith("downsample.0"))), "a map read backward: " + freed);
        assertTrue(freed.stream().noneMatch(v -> v.startsWith("head") || v.equals("nlb/attention")), freed.toString());
    }

    @Test
    void aStepEqualsDl4jsOwnStepExactlyInLessMemory() throws Exception {
        PlannedGraph frozen = build();
        ComputationGraph plain = new ComputationGraph(CpuPlan.copy(frozen.getConfiguration()));
        plain.init(frozen.params().dup(), false);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 64, 64).subi(0.5).muli(4);
        DataSet batch = new DataSet(x, Nd4j.rand(DataType.FLOAT, 4, 1));

        // Workspaces belong to a thread: each network steps in a thread of its own.
        ExecutorService plainThread = Executors.newSingleThreadExecutor();
        ExecutorService frozenThread = Executors.newSingleThreadExecutor();
        long plainKept = 0;
        long frozenKept = 0;
        for (int step = 0; step < 3; step++) {
            double penalty = plain.calcRegularizationScore(true);
            plainKept = plainThread.submit(() -> fit(plain, batch)).get();
            frozenKept = frozenThread.submit(() -> fit(frozen, batch)).get();
            // Same arithmetic in the same order: every parameter, running statistic and Adam moment equal.
            assertEquals(plain.params(), frozen.params(), "parameters after step " + step);
            assertEquals(plain.getUpdater().getStateViewArray(), frozen.getUpdater().getStateViewArray());
            // The score leaves out the weight-decay norm DL4J adds; the decay's gradient is still followed.
            assertTrue(penalty > 0);
            assertEquals(plain.score() - penalty, frozen.score(), 1e-9 * plain.score());
            assertEquals(0, frozen.calcRegularizationScore(true));
            // DL4J's updater took its own network's gradient (not the per-parameter "external" path).
            assertSame(frozen.getFlattenedGradients(), frozen.gradient().gradient());
        }
        plainThread.shutdown();
        frozenThread.shutdown();
        System.out.printf("[short-lived activations] activations workspace %.1f MB, DL4J's own step %.1f MB (64 px, batch 4)%n",
                frozenKept / 1e6, plainKept / 1e6);
        // GAB's and VGG's maps, and the content ResNet's BatchNorm and add outputs, are about three
        // quarters of a step's activations at any size.
        assertTrue(frozenKept < plainKept / 3, "kept " + frozenKept + " bytes against DL4J's " + plainKept);
    }

    @Test
    void theFrozenBranchesInPartsOfTheBatchGiveTheSameGradientsInLessMemory() throws Exception {
        PlannedGraph whole = build();
        PlannedGraph parts = build();
        parts.setParams(whole.params().dup());
        parts.frozenPartBytes(1);   // one image a part
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 64, 64).subi(0.5).muli(4);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, 1);
        ExecutorService wholeThread = Executors.newSingleThreadExecutor();
        ExecutorService partsThread = Executors.newSingleThreadExecutor();
        long wholePool = wholeThread.submit(() -> gradientStep(whole, x, y)).get();
        long partsPool = partsThread.submit(() -> gradientStep(parts, x, y)).get();
        wholeThread.shutdown();
        partsThread.shutdown();
        // The VGG slice computes each image on its own (GAB's BatchNorms use the batch's statistics,
        // so GAB runs whole): the same maps reach the trainable part, up to the kernels' rounding at
        // another batch size.
        assertEquals(whole.score(), parts.score(), 1e-5 * whole.score());
        INDArray expected = whole.getFlattenedGradients();
        double error = expected.sub(parts.getFlattenedGradients()).amaxNumber().doubleValue() / expected.amaxNumber().doubleValue();
        assertTrue(error < 1e-4, error + " of the gradient's scale off");
        System.out.printf("[frozen branches in parts] short-lived workspaces %.1f MB, in one part %.1f MB (64 px, batch 4)%n",
                partsPool / 1e6, wholePool / 1e6);
        assertTrue(partsPool < wholePool * 0.8, partsPool + " bytes against " + wholePool);
    }

    @Test
    void theActivationsWorkspaceIsMadeInOneBlockOfTheFirstStepsSize() throws Exception {
        // With dropout (the output layer's mask is the one array kept beside the activations), and
        // the frozen branches in parts, whose outputs readers take where they are.
        PlannedGraph graph = (PlannedGraph) SaanGraph.build(SaanConfig.reference().withInputSize(64),
                OptimiserConfig.reference(), SaanGraph.REFERENCE_EPOCHS, ExecutionPlan.cpu());
        graph.frozenPartBytes(1);
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 64, 64);
        INDArray y = Nd4j.rand(DataType.FLOAT, 4, 1);
        long given = graph.keptActivationBytes(new INDArray[]{x});
        ExecutorService thread = Executors.newSingleThreadExecutor();
        MemoryWorkspace ws = thread.submit(() -> {
            graph.setInputs(x);
            graph.setLabels(y);
            graph.computeGradientAndScore();
            return Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread("WS_ALL_LAYERS_ACT");
        }).get();
        thread.shutdown();
        // Not grown at the step's end (DL4J would reallocate it to what the step took), and no more
        // than the 1% margin over what the step took: nothing kept that the count leaves out.
        long took = ws.getMaxCycleAllocations();
        assertEquals(given, ws.getCurrentSize(), "the workspace grew in the first step: it took " + took + " bytes");
        assertTrue(took <= given && took > given * 0.985, "the step took " + took + " bytes of the " + given + " given");
    }

    @Test
    void trainingStepsKeepTheFrozenVggsWinogradWeights() throws Exception {
        // DL4J's optimiser "sets" the parameters it updated in place after every step; the frozen VGG's
        // weights, transformed for Winograd, must not be transformed again for that.
        PlannedGraph graph = build();
        Nd4j.getRandom().setSeed(13);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64), Nd4j.rand(DataType.FLOAT, 2, 1));
        ExecutorService thread = Executors.newSingleThreadExecutor();
        long first = thread.submit(() -> {
            long before = KeptWeights.layoutsMade();
            graph.fit(batch);
            return KeptWeights.layoutsMade() - before;
        }).get();
        long later = thread.submit(() -> {
            long before = KeptWeights.layoutsMade();
            graph.fit(batch);
            graph.fit(batch);
            return KeptWeights.layoutsMade() - before;
        }).get();
        thread.shutdown();
        assertTrue(first >= 7, "VGG's 3x3 convolutions with 16n channels take Winograd's weights in the first step: " + first);
        assertEquals(0, later, "weights transformed again in later steps");
    }

    /** Two gradient computations on one batch (the first learns the workspaces' sizes); returns the short-lived workspaces' size. */
    private static long gradientStep(PlannedGraph graph, INDArray x, INDArray y) {
        graph.setInputs(x);
        graph.setLabels(y);
        graph.computeGradientAndScore();
        graph.computeGradientAndScore();
        return shortLivedBytes();
    }

    private static long shortLivedBytes() {
        long total = 0;
        for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            if (ws.getId().startsWith("BAID_SHORT_LIVED_")) {
                total += ws.getCurrentSize();
            }
        }
        return total;
    }

    /** One training step; returns the size of the thread's activations workspace after it. */
    private static long fit(ComputationGraph graph, DataSet batch) {
        graph.fit(batch);
        return activationsWorkspaceBytes();
    }

    @Test
    void filesAndClonesGivePlannedGraphs(@TempDir Path dir) throws Exception {
        SaanModel model = SaanModel.create(CONFIG, OptimiserConfig.reference(), SaanGraph.REFERENCE_EPOCHS, ExecutionPlan.cpu());
        File file = dir.resolve("saan.zip").toFile();
        model.save(file, true);
        ComputationGraph loaded = SaanModel.load(file, ExecutionPlan.cpu()).graph();
        assertInstanceOf(PlannedGraph.class, loaded);
        assertEquals(model.graph().params(), loaded.params());
        assertInstanceOf(PlannedGraph.class, loaded.clone());
        assertEquals(loaded.params(), loaded.clone().params());

        // Each steps on views of its own arrays: a clone and the loaded network, given the same
        // batch, end equal to DL4J's own graph on the same parameters, and apart from each other's arrays.
        ComputationGraph clone = loaded.clone();
        ComputationGraph plain = new ComputationGraph(CpuPlan.copy(loaded.getConfiguration()));
        plain.init(loaded.params().dup(), false);
        plain.getUpdater().setStateViewArray(loaded.getUpdater().getStateViewArray().dup());
        Nd4j.getRandom().setSeed(5);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64), Nd4j.rand(DataType.FLOAT, 2, 1));
        INDArray before = loaded.params().dup();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        for (ComputationGraph g : List.of(plain, clone, loaded)) {
            thread.submit(() -> g.fit(batch)).get();
            thread.submit(() -> g.fit(batch)).get();
            thread.shutdown();
            thread = Executors.newSingleThreadExecutor();
        }
        thread.shutdown();
        assertNotEquals(before, plain.params());
        assertEquals(plain.params(), clone.params());
        assertEquals(plain.params(), loaded.params());
        assertEquals(plain.getUpdater().getStateViewArray(), clone.getUpdater().getStateViewArray());
    }

    private static long activationsWorkspaceBytes() {
        for (MemoryWorkspace ws : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            if (ws.getId().equals("WS_ALL_LAYERS_ACT")) {
                return ws.getCurrentSize();
            }
        }
        throw new AssertionError("no activations workspace after fit");
    }
}
