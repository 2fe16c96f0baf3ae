package org.baid4j.cli;

import org.baid4j.core.model.SaanModel;
import org.baid4j.weights.WeightsImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * baid export from the command line: both formats from a model file, the ONNX side set by
 * --input-size, and what it refuses, each named. (The formats' parity: WeightsExporterTest,
 * OnnxExporterTest.)
 */
class ExportCommandTest {

    @Test
    void exportsAModelFileToBothFormatsAndNamesWhatItRefuses(@TempDir Path dir) throws Exception {
        Path pth = dir.resolve("saan.pth");
        Cli.Run r = Cli.run("export", "--model", "untrained", "--input-size", "64", "--to", pth.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("442 tensors"), r.out());
        SaanModel back = WeightsImporter.importSaan(pth, 64).model();
        SaanModel untrained = SaanModel.create(org.baid4j.core.model.SaanConfig.reference().withInputSize(64));
        assertArrayEquals(untrained.graph().params().data().asFloat(), back.graph().params().data().asFloat());

        Path onnx = dir.resolve("saan.onnx");
        r = Cli.run("export", "--model", pth.toString(), "--input-size", "96", "--to", onnx.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("[N, 3, 96, 96]"), r.out());
        assertTrue(Files.size(onnx) > 100_000_000L, "every parameter inside");

        r = Cli.run("export", "--model", "untrained", "--to", dir.resolve("saan.txt").toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("saan.txt") && r.err().contains(".onnx"), r.err());
        r = Cli.run("export", "--model", dir.resolve("absent.pth").toString(), "--to", dir.resolve("x.onnx").toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("absent.pth") && r.err().contains("no such file"), r.err());
        r = Cli.run("export", "--model", pth.toString(), "--to", pth.toString());
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--to"), r.err());
        assertArrayEquals(untrained.graph().params().data().asFloat(),
                WeightsImporter.importSaan(pth, 64).model().graph().params().data().asFloat(), "the input left as it was");
    }
}
