package org.baid4j.core.plan;

import org.baid4j.core.model.GabPretrainingNetwork;
import org.baid4j.core.model.ModelFiles;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanGraph;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.core.optim.OptimiserConfig;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The execution plan is how the model runs, not what it is: a saved model names none of the CPU
 * plan's classes and no layout; the plain plan is DL4J's layers alone; the two score and train
 * alike on the same parameters; building a model changes no JVM-wide setting.
 */
class ExecutionPlanTest {
    private static final SaanConfig CONFIG = SaanConfig.reference().withInputSize(64).withDropout(0);

    @Test
    void aSavedModelsConfigurationNamesNoKernelAndNoLayout(@TempDir Path dir) throws Exception {
        SaanModel model = SaanModel.create(CONFIG, OptimiserConfig.reference(), 10, ExecutionPlan.cpu());
        assertTrue(model.graph().getConfiguration().toJson().contains(CpuPlan.class.getPackageName() + ".layers."),
                "the network that runs is the CPU plan's");
        model.graph().fit(new DataSet(Nd4j.rand(DataType.FLOAT, 2, 3, 64, 64), Nd4j.rand(DataType.FLOAT, 2, 1)));
        File file = dir.resolve("saan.zip").toFile();
        model.save(file, true);
        String json;
        try (ZipFile zip = new ZipFile(file)) {
            json = new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
        assertFalse(json.contains("org.baid4j.core.plan"), "a class of the plan in the file");
        assertFalse(json.contains("NHWC"), "a channels-last layout in the file");
        assertTrue(json.contains("org.deeplearning4j.nn.conf.layers.ConvolutionLayer")
                && json.contains("org.baid4j.core.layers.AdaIN"), "the declared layers");
        assertTrue(json.contains("\"iterationCount\" : 1"), "the step taken: the optimiser's bias correction goes on from it");
        // The same file runs under either plan, on the same parameters.
        SaanModel cpu = SaanModel.load(file, ExecutionPlan.cpu());
        SaanModel plain = SaanModel.load(file, ExecutionPlan.plain());
        assertEquals(model.graph().params(), cpu.graph().params());
        assertEquals(cpu.graph().params(), plain.graph().params());
        assertEquals(model.graph().getUpdater().getStateViewArray(), plain.graph().getUpdater().getStateViewArray());
    }

    @Test
    void thePlainPlanIsDl4jsLayersAlone() {
        ComputationGraph plain = SaanGraph.build(CONFIG, OptimiserConfig.reference(), 10, ExecutionPlan.plain());
        assertEquals(ComputationGraph.class, plain.getClass());
        assertFalse(plain.getConfiguration().toJson().contains("org.baid4j.core.plan"));
        assertNull(helperOf(plain.getLayer("sab/content/conv1")), "no oneDNN helper");
        assertNull(helperOf(plain.getLayer("sab/content/bn1")), "no oneDNN helper");
        assertEquals("plain", withProperty("plain", ExecutionPlan::standard).name());
        assertEquals("cpu", withProperty("cpu", ExecutionPlan::standard).name());
        assertThrows(IllegalArgumentException.class, () -> withProperty("fast", ExecutionPlan::standard));
    }

    /**
     * The same parameters under both plans, every variant: the same initial network, scores within
     * the whole model's parity bar (1e-3 on the 0-10 scale) and the same training-mode loss. (A
     * training step's gradients are held to the training-step parity test's bar under either plan
     * by that test itself, against PyTorch: a random deep network in training mode amplifies
     * rounding, so the bar is PyTorch's own spread, not a fixed one.)
     */
    @Test
    void bothPlansScoreAlike() throws Exception {
        for (SaanVariant variant : SaanVariant.values()) {
            SaanConfig config = CONFIG.withVariant(variant);
            SaanModel cpu = SaanModel.create(config, OptimiserConfig.reference(), 10, ExecutionPlan.cpu());
            SaanModel plain = SaanModel.create(config, OptimiserConfig.reference(), 10, ExecutionPlan.plain());
            assertEquals(plain.graph().params(), cpu.graph().params(), variant + ": initialised alike");
            Nd4j.getRandom().setSeed(3);
            INDArray x = Nd4j.rand(DataType.FLOAT, 4, 3, 64, 64).subi(0.5).muli(4);
            INDArray y = Nd4j.rand(DataType.FLOAT, 4, 1);
            assertArrayEquals(plain.scores(x), cpu.scores(x), 1e-3, variant + ": scores");
            ExecutorService thread = Executors.newSingleThreadExecutor();
            double plainLoss = thread.submit(() -> loss(plain.graph(), x, y)).get();
            double cpuLoss = thread.submit(() -> loss(cpu.graph(), x, y)).get();
            thread.shutdown();
            assertEquals(plainLoss, cpuLoss, 1e-4 * plainLoss, variant + ": the training-mode loss");
        }
    }

    /** The loss of a training-mode pass, without the weight-decay term. */
    private static double loss(ComputationGraph graph, INDArray x, INDArray y) {
        graph.setInputs(x);
        graph.setLabels(y);
        graph.computeGradientAndScore();
        return graph.score() - graph.calcRegularizationScore(true);
    }

    @Test
    void buildingAndLoadingChangeNoJvmWideSetting(@TempDir Path dir) throws Exception {
        Properties before = (Properties) System.getProperties().clone();
        SaanModel model = SaanModel.create(CONFIG);
        GabPretrainingNetwork.create(new GabPretrainingNetwork.Config(64, 0.5, 1), OptimiserConfig.reference(), 10);
        File file = dir.resolve("saan.zip").toFile();
        model.save(file, false);
        ModelFiles.load(file);
        assertEquals(before, System.getProperties());
    }

    private static Object helperOf(Layer layer) {
        while (layer instanceof BaseWrapperLayer wrapper) {
            layer = wrapper.getUnderlying();
        }
        return ((BaseLayer<?>) layer).getHelper();
    }

    private static <T> T withProperty(String value, java.util.function.Supplier<T> get) {
        String old = System.getProperty(ExecutionPlan.PROPERTY);
        System.setProperty(ExecutionPlan.PROPERTY, value);
        try {
            return get.get();
        } finally {
            if (old == null) {
                System.clearProperty(ExecutionPlan.PROPERTY);
            } else {
                System.setProperty(ExecutionPlan.PROPERTY, old);
            }
        }
    }
}
