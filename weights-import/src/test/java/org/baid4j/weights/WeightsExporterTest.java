package org.baid4j.weights;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Export to the authors' state_dict: read back by baid4j's own importer it is the same network to
 * the bit, for every variant; read by PyTorch (the reference SAAN, load_state_dict(strict=True))
 * it scores the example images as the reference scored the checkpoint it came from.
 */
class WeightsExporterTest {

    @ParameterizedTest
    @EnumSource(SaanVariant.class)
    void importOfExportIsTheSameNetworkToTheBit(SaanVariant variant, @TempDir Path dir) throws Exception {
        SaanModel model = SaanModel.create(SaanConfig.of(variant).withInputSize(64));
        INDArray params = model.graph().params();
        Nd4j.getRandom().setSeed(11);
        params.assign(Nd4j.randn(DataType.FLOAT, params.shape()));   // every parameter and statistic, random
        Path file = dir.resolve("saan.pth");
        List<String> keys = WeightsExporter.exportSaan(model, file);

        Map<String, TorchTensor> written = TorchCheckpoint.read(file).stateDict();
        assertEquals(keys, List.copyOf(written.keySet()));
        assertTrue(keys.stream().anyMatch(k -> k.endsWith("num_batches_tracked")), "BN's counter, for strict loading");
        assertEquals(variant != SaanVariant.WITHOUT_GAB, keys.stream().anyMatch(k -> k.startsWith("GenAes.model.layer3.")));
        assertEquals(variant != SaanVariant.WITHOUT_SAB, keys.stream().anyMatch(k -> k.startsWith("StyAes.vgg.model.19.")));
        assertArrayEquals(new long[]{2048, 4L * variant.fusedChannels()}, written.get("predictor.0.weight").shape(), "[out, in]");

        WeightsImporter.ImportedSaan back = WeightsImporter.importSaan(file, 64);
        assertEquals(variant, back.model().variant());
        assertTrue(back.report().notFilled().isEmpty(), back.report().summary());
        assertArrayEquals(params.data().asFloat(), back.model().graph().params().data().asFloat(), "bit for bit");
    }

    /** Exported from the import of a randomised reference checkpoint: PyTorch loads it strictly and scores as before. */
    @Tag("parity")
    @Test
    void pytorchLoadsTheExportStrictlyAndScoresAsTheReference(@TempDir Path dir) throws Exception {
        Path images = ReferencePython.REPO.resolve("examples").resolve("images");
        Path fixture = dir.resolve("fixture");
        ReferencePython.run("make_saan_fixture.py", fixture.toString(), images.toString());
        SaanModel imported = WeightsImporter.importSaan(fixture.resolve("saan-random.pth"), 224).model();
        Path exported = dir.resolve("exported.pth");
        WeightsExporter.exportSaan(imported, exported);
        String said = ReferencePython.run("score_saan_checkpoint.py", dir.resolve("scored").toString(), exported.toString(),
                images.toString());
        System.out.println("[export] " + said.trim());
        Map<String, Double> expected = scores(fixture.resolve("expected-scores.csv"));
        Map<String, Double> got = scores(dir.resolve("scored").resolve("scores.csv"));
        assertEquals(expected.keySet(), got.keySet());
        double worst = 0;
        for (String name : expected.keySet()) {
            worst = Math.max(worst, Math.abs(expected.get(name) - got.get(name)));
        }
        System.out.printf("[export] PyTorch's scores of the exported file against the original's: largest difference %.1e%n", worst);
        assertEquals(0, worst, 2e-6, "the same floats in the same network: the same scores to the printed digit");
    }

    private static Map<String, Double> scores(Path csv) throws Exception {
        Map<String, Double> out = new java.util.TreeMap<>();
        for (String[] row : ReferencePython.csv(csv).subList(1, ReferencePython.csv(csv).size())) {
            out.put(row[0], Double.parseDouble(row[1]));
        }
        return out;
    }
}
