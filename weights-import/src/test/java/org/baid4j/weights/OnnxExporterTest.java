package org.baid4j.weights;

import org.baid4j.core.model.HeadActivation;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.core.model.SaanVariant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The ONNX export, run by ONNX Runtime's Java API (a test dependency only): for each variant, at
 * 224 and at 160, each head activation once, with every parameter and BatchNorm statistic drawn at
 * random, ONNX Runtime's scores equal baid4j's own within the whole-model parity tolerance; and ONNX
 * Runtime loads the file at its most verbose logging without a warning (in a child process, whose
 * stderr holds ONNX Runtime's native log).
 */
@Tag("parity")
class OnnxExporterTest {
    /** The whole-model parity bar against PyTorch, on the 0-10 scale. */
    private static final double TOLERANCE = 2e-4;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of(SaanVariant.FULL, 224, HeadActivation.RELU),
                Arguments.of(SaanVariant.FULL, 160, HeadActivation.GELU),
                Arguments.of(SaanVariant.WITHOUT_GAB, 224, HeadActivation.LEAKY_RELU),
                Arguments.of(SaanVariant.WITHOUT_GAB, 160, HeadActivation.RELU),
                Arguments.of(SaanVariant.WITHOUT_SAB, 224, HeadActivation.ELU),
                Arguments.of(SaanVariant.WITHOUT_SAB, 160, HeadActivation.RELU));
    }

    @ParameterizedTest(name = "{0} at {1} px, {2}")
    @MethodSource("models")
    void onnxRuntimeScoresTheExportAsBaid4jDoes(SaanVariant variant, int size, HeadActivation head, @TempDir Path dir)
            throws Exception {
        SaanModel model = SaanModel.create(SaanConfig.of(variant).withInputSize(size).withHeadActivation(head).withSeed(size));
        randomise(model, new Random(variant.ordinal() * 1000L + size));

        Nd4j.getRandom().setSeed(size);
        INDArray images = Nd4j.randn(DataType.FLOAT, 3, 3, size, size);   // ImageNet-normalised pixels are about N(0, 1)
        calibrateHead(model, images);
        double[] expected = model.scores(images);
        Path file = dir.resolve("saan.onnx");
        int nodes = OnnxExporter.exportSaan(model, file);
        assertTrue(nodes > 50, nodes + " nodes");

        // In a process of its own, so that ONNX Runtime's log (native, on the process's stderr) can be read.
        Path input = dir.resolve("input.bin");
        Path output = dir.resolve("output.bin");
        Files.write(input, floatBytes(images.data().asFloat()));
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), OrtRun.class.getName(), file.toString(), input.toString(),
                String.valueOf(size), output.toString()).redirectErrorStream(true).start();
        String log = new String(child.getInputStream().readAllBytes());
        assertEquals(0, child.waitFor(), log);
        assertTrue(log.contains("[V:onnxruntime"), "ONNX Runtime logged verbosely:\n" + log);
        assertFalse(log.lines().anyMatch(l -> l.contains("[W:") || l.contains("[E:")), "no warning on loading:\n" + log);
        float[] got = floats(Files.readAllBytes(output));

        double worst = 0;
        for (int i = 0; i < 3; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - got[i]));
        }
        System.out.printf("[onnx] %s %d px %s: %d nodes, %.1f MB; baid4j %s, ONNX Runtime [%.5f, %.5f, %.5f]; largest"
                        + " difference %.1e%n", variant.label(), size, head.label(), nodes, Files.size(file) / 1e6,
                java.util.Arrays.toString(expected), got[0], got[1], got[2], worst);
        assertTrue(spread(expected) > 0.01 && expected[0] > 0.1 && expected[0] < 9.9,
                "scores away from the sigmoid's ends, so that a wrong layer shows: " + java.util.Arrays.toString(expected));
        assertEquals(0, worst, TOLERANCE, "ONNX Runtime against baid4j on the 0-10 scale");
    }

    private static byte[] floatBytes(float[] values) {
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static double spread(double[] v) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double x : v) {
            min = Math.min(min, x);
            max = Math.max(max, x);
        }
        return max - min;
    }

    /**
     * Random statistics through ResNet's residual stages leave the features thousands of times
     * their scale, and every score at 0 or 10, where a wrong layer would not show. The head's
     * BatchNorm takes the batch's own statistics as its running ones, as a trained network's would
     * be, so that its scores fall inside the sigmoid's range.
     */
    static void calibrateHead(SaanModel model, INDArray images) {
        INDArray pooled = model.graph().feedForward(new INDArray[]{images}, false, false).get("head/pool");
        INDArray perChannel = pooled.permute(1, 0, 2, 3).dup('c').reshape(pooled.size(1), -1);
        model.graph().getParam("head/bn_mean").assign(perChannel.mean(1).reshape(1, -1));
        model.graph().getParam("head/bn_var").assign(perChannel.var(false, 1).add(1e-3).reshape(1, -1));
    }

    /**
     * Every parameter drawn at random about its initial scale: weights times U(0.7, 1.3) plus a
     * little noise (so zeros, as the non-local block's BN gamma, are not zero), BatchNorm's gamma
     * U(0.5, 1.5), beta and running mean N(0, 0.1), running variance U(0.5, 1.5).
     */
    static void randomise(SaanModel model, Random random) {
        for (Map.Entry<String, INDArray> p : model.graph().paramTable().entrySet()) {
            INDArray v = p.getValue();
            String key = p.getKey().substring(p.getKey().lastIndexOf('_') + 1);
            float[] values = v.dup('c').data().asFloat();
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (key) {
                    case "gamma", "var" -> 0.5f + random.nextFloat();
                    case "beta", "mean" -> (float) (0.1 * random.nextGaussian());
                    default -> (float) (values[i] * (0.7 + 0.6 * random.nextFloat()) + 0.01 * random.nextGaussian());
                };
            }
            v.assign(Nd4j.create(values, v.shape(), 'c'));
        }
    }
}
