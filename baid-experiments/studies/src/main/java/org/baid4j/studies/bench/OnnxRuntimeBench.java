package org.baid4j.studies.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * ONNX Runtime as the bench's third framework: SAAN exported by baid4j ({@code OnnxExporter}) and
 * run through ONNX Runtime's Java API, in a process of its own as the other two (see
 * {@link ScalingBench}). Before it is timed, it scores a batch whose baid4j scores the parent wrote,
 * and refuses to be timed past the whole-model parity bar. ONNX Runtime is a dependency of the
 * bench's command only (baid-cli); for this module it is optional, so no library user gets it.
 * This class touches no ND4J class, so that the process's memory is ONNX Runtime's alone.
 */
public final class OnnxRuntimeBench {
    /** The whole-model parity bar, on the 0-10 scale. */
    public static final double PARITY = 2e-4;

    private OnnxRuntimeBench() {
    }

    /**
     * {@code OnnxRuntimeBench MODEL.onnx SIZE BATCH RUNS THREADS CHECK_INPUT CHECK_SCORES}: checks the
     * scores of CHECK_INPUT (little-endian float32 [N, 3, S, S]) against CHECK_SCORES (float64, N),
     * then times RUNS inferences of a batch of BATCH after two warm-ups; prints one JSON line.
     */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int size = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        float[] checkInput = floats(Files.readAllBytes(Path.of(args[5])));
        double[] expected = doubles(Files.readAllBytes(Path.of(args[6])));

        long t0 = System.nanoTime();   // cold start: from loading ONNX Runtime to the first output
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                float[] images = new float[batch * 3 * size * size];
                SplittableRandom random = new SplittableRandom(1);
                for (int i = 0; i < images.length; i++) {
                    images[i] = (float) (random.nextDouble() * 4 - 2);
                }
                run(env, session, images, batch, size);
                double coldSeconds = (System.nanoTime() - t0) / 1e9;

                float[] got = run(env, session, checkInput, expected.length, size);
                double worst = 0;
                for (int i = 0; i < expected.length; i++) {
                    worst = Math.max(worst, Math.abs(got[i] - expected[i]));
                }
                if (!(worst <= PARITY)) {
                    System.out.println("ONNX Runtime's scores differ from baid4j's by " + worst + ", past the bar of " + PARITY
                            + ": not timed");
                    System.exit(3);
                }
                run(env, session, images, batch, size);
                double[] seconds = new double[runs];
                for (int r = 0; r < runs; r++) {
                    long t = System.nanoTime();
                    run(env, session, images, batch, size);
                    seconds[r] = (System.nanoTime() - t) / 1e9;
                }
                Arrays.sort(seconds);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("framework", "onnxruntime " + OrtEnvironment.getEnvironment().getVersion());
                out.put("size", size);
                out.put("batch", batch);
                out.put("img_per_s", batch / seconds[runs / 2]);
                out.put("peak_rss_mb", ModelBench.peakRssMb());   // reads /proc only: no ND4J class is loaded
                out.put("cold_s", coldSeconds);
                out.put("parity_max_diff", worst);
                System.out.println(new ObjectMapper().writeValueAsString(out));
            }
        }
        System.exit(0);
    }

    private static float[] run(OrtEnvironment env, OrtSession session, float[] images, int batch, int size) throws Exception {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), new long[]{batch, 3, size, size});
             OrtSession.Result result = session.run(Map.of("image", input))) {
            float[][] scores = (float[][]) result.get("score").orElseThrow().getValue();
            float[] out = new float[batch];
            for (int i = 0; i < batch; i++) {
                out[i] = scores[i][0];
            }
            return out;
        }
    }

    static byte[] bytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    static byte[] bytes(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b.array();
    }

    private static float[] floats(byte[] bytes) {
        float[] out = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static double[] doubles(byte[] bytes) {
        double[] out = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }
}
