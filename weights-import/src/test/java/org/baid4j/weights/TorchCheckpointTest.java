package org.baid4j.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** The torch.save reader on committed fixtures (tools/pytorch/make_reader_fixtures.py) and on damaged files. */
class TorchCheckpointTest {

    static Path fixture(String name) throws URISyntaxException {
        return Path.of(TorchCheckpointTest.class.getResource("/fixtures/" + name).toURI());
    }

    @Test
    void readsEveryDtypeAndStridedViewAsPyTorchHasThem() throws Exception {
        TorchCheckpoint ckpt = TorchCheckpoint.read(fixture("dtypes-and-views.pt"));
        Map<?, ?> root = (Map<?, ?>) ckpt.root();
        assertEquals(99L, root.get("epoch"));
        Pickle.Instance args = (Pickle.Instance) root.get("args");
        assertEquals("argparse.Namespace", args.type().toString());
        assertEquals(1e-5, ((Map<?, ?>) args.state()).get("lr"));

        Map<String, TorchTensor> state = WeightsImporter.stripDataParallelPrefix(ckpt.stateDict());
        Map<?, ?> expected = (Map<?, ?>) root.get("expected");
        assertEquals(expected.keySet(), state.keySet());
        for (Map.Entry<String, TorchTensor> e : state.entrySet()) {
            double[] want = flatten(expected.get(e.getKey()));
            assertArrayEquals(want, e.getValue().toDoubleArray(), 0.0, e.getKey());
            assertEquals(want.length, e.getValue().numel(), e.getKey());
        }
        assertEquals(TorchDType.FLOAT16, state.get("float16").dtype());
        assertEquals(TorchDType.BFLOAT16, state.get("bfloat16").dtype());
        assertEquals(TorchDType.INT64, state.get("int64").dtype());
        assertEquals(TorchDType.FLOAT64, state.get("float64").dtype());
        assertArrayEquals(new long[]{6, 4}, state.get("transposed").shape());
        assertEquals(2.5, state.get("scalar").item());
        // Views share their storage with the tensor they were cut from.
        assertSame(state.get("transposed").storage(), state.get("offset_view").storage());
        assertSame(state.get("step_slice").storage(), state.get("offset_view").storage());
    }

    @Test
    void halfPrecisionConversionIsExact() {
        assertEquals(1.0f, TorchStorage.halfToFloat((short) 0x3C00));
        assertEquals(-2.0f, TorchStorage.halfToFloat((short) 0xC000));
        assertEquals(65504f, TorchStorage.halfToFloat((short) 0x7BFF));
        assertEquals((float) Math.pow(2, -24), TorchStorage.halfToFloat((short) 0x0001));
        assertTrue(Float.isInfinite(TorchStorage.halfToFloat((short) 0x7C00)));
        assertTrue(Float.isNaN(TorchStorage.halfToFloat((short) 0x7E00)));
    }

    @Test
    void legacyFormatIsRefusedWithAnExplanation() throws Exception {
        Path legacy = fixture("legacy.pt");
        CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(legacy));
        assertTrue(e.getMessage().contains(legacy.toString()) && e.getMessage().contains("legacy"), e.getMessage());
    }

    @Test
    void truncatedCheckpointsAreErrorsNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(fixture("nonlocal.pt"));
        for (int keep : new int[]{full.length / 2, full.length - 30, 100}) {
            Path cut = dir.resolve("cut-" + keep + ".pth");
            Files.write(cut, Arrays.copyOf(full, keep));
            IOException e = assertThrows(IOException.class, () -> TorchCheckpoint.read(cut).stateDict());
            assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
        }
    }

    @Test
    void foreignFilesAreRecognised(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("weights.pth");
        Files.writeString(text, "<html>404</html>");
        assertTrue(assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(text))
                .getMessage().contains("not a PyTorch checkpoint"));

        Path zip = dir.resolve("other.pth");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("readme.txt"));
            out.write("hello".getBytes());
        }
        assertTrue(assertThrows(CheckpointFormatException.class, () -> TorchCheckpoint.read(zip))
                .getMessage().contains("no data.pkl"));

        assertThrows(NoSuchFileException.class, () -> TorchCheckpoint.read(dir.resolve("absent.pth")));
    }

    private static double[] flatten(Object nested) {
        List<Double> out = new ArrayList<>();
        flattenInto(nested, out);
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void flattenInto(Object o, List<Double> out) {
        if (o instanceof List) {
            for (Object item : (List<?>) o) {
                flattenInto(item, out);
            }
        } else {
            out.add(((Number) o).doubleValue());
        }
    }
}
