package org.baid4j.weights;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime on an exported model, as a process of its own (OnnxExporterTest reads its log):
 * {@code OrtRun model.onnx input.bin size output.bin}, the input little-endian float32 [N, 3, S, S],
 * the output the N scores.
 */
public final class OrtRun {
    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[2]);
        float[] input = OnnxExporterTest.floats(Files.readAllBytes(Path.of(args[1])));
        long n = input.length / (3L * size * size);
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE, "export-check");
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(2);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE);
            try (OrtSession session = env.createSession(args[0], options);
                 OnnxTensor images = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[]{n, 3, size, size});
                 OrtSession.Result result = session.run(Map.of(OnnxExporter.INPUT, images))) {
                float[][] scores = (float[][]) result.get(OnnxExporter.OUTPUT).orElseThrow().getValue();
                ByteBuffer out = ByteBuffer.allocate((int) n * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] row : scores) {
                    out.putFloat(row[0]);
                }
                Files.write(Path.of(args[3]), out.array());
            }
        }
    }
}
