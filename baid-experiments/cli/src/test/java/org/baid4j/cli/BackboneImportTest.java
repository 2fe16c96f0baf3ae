package org.baid4j.cli;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.testkit.ReferencePython;
import org.baid4j.weights.CheckpointLayout;
import org.baid4j.weights.ImportReport;
import org.baid4j.weights.TorchCheckpoint;
import org.baid4j.weights.TorchTensor;
import org.baid4j.weights.WeightsImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.nio.file.Path;
import java.util.Map;

import static org.baid4j.testkit.NumericAssertions.assertClose;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The pretraining checkpoint (model.*), torchvision's resnet50 and vgg19 state_dicts, imported into
 * GAB, SAB's content ResNet and the VGG slice, checked by what those branches then compute against
 * PyTorch on an example image (tools/pytorch/make_backbone_fixtures.py, made at test time).
 */
@Tag("parity")
class BackboneImportTest {
    static final double TOLERANCE = 1e-4;
    @TempDir
    static Path dir;
    static Map<?, ?> expected;

    @BeforeAll
    static void makeFixtures() throws Exception {
        ReferencePython.run("make_backbone_fixtures.py", dir.toString(),
                ReferencePython.REPO.resolve("examples/images/brushwork.png").toString());
        expected = (Map<?, ?>) TorchCheckpoint.read(dir.resolve("expected.pt")).root();
    }

    static INDArray expected(String key) {
        return ((TorchTensor) expected.get(key)).toINDArray();
    }

    /** Every vertex's activations; those of the NHWC branches (VGG, GAB, SAB content) in NCHW at their ".nchw" layout vertices. */
    static Map<String, INDArray> activations(SaanModel model) {
        return model.graph().feedForward(expected("input"), false);
    }

    @Test
    void pretrainingCheckpointFillsBothResNetsAndSaysWhatItLeftOut() throws Exception {
        SaanModel model = SaanModel.create(SaanConfig.reference().withInputSize(64));
        ImportReport report = WeightsImporter.load(model.graph(), dir.resolve("pretrain.pth"), CheckpointLayout.PRETRAIN);
        Map<String, INDArray> act = activations(model);
        assertClose(expected("gab_pretrain"), act.get("gab/layer3.5.relu.nchw"), TOLERANCE, "GAB layer3");
        assertClose(expected("content_pretrain"), act.get("sab/content/layer2.3.relu.nchw"), TOLERANCE, "SAB content layer2");

        assertTrue(report.skipped().stream().anyMatch(s -> s.key().startsWith("model.layer4.")
                && s.reason().startsWith("no rule")), report.summary());
        assertTrue(report.skipped().stream().anyMatch(s -> s.key().startsWith("model.fc.")), report.summary());
        assertTrue(report.notFilled().contains("head/fc1_W") && report.notFilled().contains("sab/vgg/conv1_1_W"));
        assertEquals(report.loaded().get("model.layer1.0.conv1.weight"),
                java.util.List.of("gab/layer1.0.conv1_W", "sab/content/layer1.0.conv1_W"));
    }

    @Test
    void torchvisionResNetAndVggFillTheirBranches() throws Exception {
        SaanModel model = SaanModel.create(SaanConfig.reference().withInputSize(64));
        ImportReport resnet = WeightsImporter.load(model.graph(), dir.resolve("resnet50.pth"),
                CheckpointLayout.TORCHVISION_RESNET50);
        ImportReport vgg = WeightsImporter.load(model.graph(), dir.resolve("vgg19-features.pth"),
                CheckpointLayout.TORCHVISION_VGG19);
        Map<String, INDArray> act = activations(model);
        assertClose(expected("gab_resnet"), act.get("gab/layer3.5.relu.nchw"), TOLERANCE, "GAB layer3 (torchvision)");
        assertClose(expected("vgg"), act.get("sab/vgg/conv4_1.nchw"), TOLERANCE, "VGG relu4_1");
        assertEquals(18, vgg.loaded().size(), vgg.summary());
        assertTrue(vgg.skipped().stream().anyMatch(s -> s.key().startsWith("classifier.6")));
        assertTrue(resnet.skipped().stream().anyMatch(s -> s.key().equals("fc.weight")));
    }

    @Test
    void importWeightsCommandWritesAModelFileFromBackbones() throws Exception {
        Path out = dir.resolve("start.zip");
        Cli.Run r = Cli.run("import-weights", "--pretrained", dir.resolve("pretrain.pth").toString(),
                "--vgg", dir.resolve("vgg19-features.pth").toString(), "--input-size", "64", "--to", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("pretrain.pth (pretrain): loaded") && r.err().contains("vgg19-features.pth"), r.err());
        SaanModel loaded = SaanModel.load(out.toFile());
        Map<String, INDArray> act = activations(loaded);
        assertClose(expected("gab_pretrain"), act.get("gab/layer3.5.relu.nchw"), TOLERANCE, "GAB layer3 after save/load");
        assertClose(expected("vgg"), act.get("sab/vgg/conv4_1.nchw"), TOLERANCE, "VGG after save/load");

        Cli.Run wrong = Cli.run("import-weights", "--vgg", dir.resolve("pretrain.pth").toString(),
                "--to", dir.resolve("x.zip").toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, wrong.exit());
        assertTrue(wrong.err().contains("looks like a pretraining-network checkpoint"), wrong.err());
    }
}
