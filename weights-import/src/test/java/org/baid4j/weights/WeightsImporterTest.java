package org.baid4j.weights;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanGraph;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** Import errors and reports: nothing is loaded silently, nothing wrong is loaded at all. */
class WeightsImporterTest {

    static ComputationGraph nonLocalGraph(int channels) {
        GraphBuilder g = new NeuralNetConfiguration.Builder().graphBuilder().addInputs("x");
        SaanGraph.nonLocalBlock(g, SaanGraph.NLB, "x", channels);
        ComputationGraph net = new ComputationGraph(g.setInputTypes(InputType.convolutional(6, 6, channels))
                .setOutputs(SaanGraph.NLB).build());
        net.init();
        return net;
    }

    @Test
    void aShapeMismatchNamesTheKeyAndBothShapes() throws Exception {
        Path file = TorchCheckpointTest.fixture("nonlocal.pt");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> WeightsImporter.load(nonLocalGraph(16), file, CheckpointLayout.SAAN));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().matches(".*key 'NLB\\.[a-zA-Z.0-9]+' has shape \\[.*\\], but nlb/.* needs \\[.*"), e.getMessage());
    }

    @Test
    void aCheckpointThatMatchesNothingIsAnError() throws Exception {
        Path file = TorchCheckpointTest.fixture("head.pt");
        SaanModel model = SaanModel.create(SaanConfig.of(SaanVariant.WITHOUT_SAB).withInputSize(64));
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> WeightsImporter.load(model.graph(), file, CheckpointLayout.TORCHVISION_VGG19));
        assertTrue(e.getMessage().contains("nothing in it maps"), e.getMessage());
        assertTrue(e.getMessage().contains("bn.weight"), e.getMessage());
    }

    @Test
    void aCheckpointOfAnotherKindIsNamedAsSuch() throws Exception {
        Path file = TorchCheckpointTest.fixture("nonlocal.pt");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> WeightsImporter.load(nonLocalGraph(8), file, CheckpointLayout.PRETRAIN));
        assertTrue(e.getMessage().contains("looks like a SAAN checkpoint"), e.getMessage());
    }

    @Test
    void aSaanImportNeedsGabOrSab() throws Exception {
        Path file = TorchCheckpointTest.fixture("nonlocal.pt");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                () -> WeightsImporter.importSaan(file, 64));
        assertTrue(e.getMessage().contains("GenAes") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void theReportListsWhatWasLoadedSkippedAndLeftUnset() throws Exception {
        Path file = TorchCheckpointTest.fixture("nonlocal.pt");
        Map<String, TorchTensor> partial = new LinkedHashMap<>(TorchCheckpoint.read(file).stateDict());
        partial.keySet().removeIf(k -> k.startsWith("NLB.g."));
        ComputationGraph net = nonLocalGraph(8);
        ImportReport report = WeightsImporter.apply(net, partial, CheckpointLayout.SAAN, file);
        assertEquals(Set.of("nlb/theta_W", "nlb/theta_b"),
                Set.copyOf(report.loaded().entrySet().stream().filter(e -> e.getKey().startsWith("NLB.theta"))
                        .flatMap(e -> e.getValue().stream()).toList()));
        assertEquals(Set.of("nlb/g_W", "nlb/g_b"), Set.copyOf(report.notFilled()));
        assertTrue(report.skipped().stream().anyMatch(s -> s.key().equals("NLB.W.1.num_batches_tracked")
                && s.reason().contains("batch counter")));
        assertTrue(report.summary().contains("does not set: 2"), report.summary());
        // Values really arrive, transposition-free for convs.
        double[] theta = partial.get("NLB.theta.weight").toDoubleArray();
        assertEquals(theta[5], net.getParam("nlb/theta_W").getDouble(5), 1e-7);
    }

    @Test
    void rulesMapPretrainingAndTorchvisionKeysToBothResNets() {
        NameRules rules = NameRules.standard();
        assertEquals(java.util.List.of("gab/layer2.0.downsample.0", "sab/content/layer2.0.downsample.0"),
                rules.layersFor(CheckpointLayout.PRETRAIN, "model.layer2.0.downsample.0"));
        assertEquals(java.util.List.of("gab/layer3.5.bn3"), rules.layersFor(CheckpointLayout.PRETRAIN, "model.layer3.5.bn3"));
        assertTrue(rules.layersFor(CheckpointLayout.PRETRAIN, "model.layer4.0.conv1").isEmpty());
        assertTrue(rules.layersFor(CheckpointLayout.TORCHVISION_RESNET50, "fc").isEmpty());
        assertEquals(java.util.List.of("sab/vgg/conv4_1"), rules.layersFor(CheckpointLayout.TORCHVISION_VGG19, "features.19"));
        assertEquals(java.util.List.of("head/fc2"), rules.layersFor(CheckpointLayout.SAAN, "predictor.3"));
        assertTrue(rules.parameter("dense", "weight").transpose());
        assertTrue(rules.parameter("batchnorm", "num_batches_tracked").skipped());
    }

    @Test
    void dataParallelPrefixIsRemovedOnlyWhenEveryKeyHasIt() throws Exception {
        Map<String, TorchTensor> state = TorchCheckpoint.read(TorchCheckpointTest.fixture("dtypes-and-views.pt")).stateDict();
        assertTrue(state.keySet().stream().allMatch(k -> k.startsWith("module.")));
        assertTrue(WeightsImporter.stripDataParallelPrefix(state).keySet().stream().noneMatch(k -> k.startsWith("module.")));
        Map<String, TorchTensor> mixed = new LinkedHashMap<>(state);
        mixed.put("other", state.values().iterator().next());
        assertEquals(mixed.keySet(), WeightsImporter.stripDataParallelPrefix(mixed).keySet());
    }
}
