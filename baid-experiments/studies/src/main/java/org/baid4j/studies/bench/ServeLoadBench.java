package org.baid4j.studies.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.baid4j.core.model.AestheticsModel;
import org.baid4j.data.SaanTransform;
import org.baid4j.scoring.Aesthetics;
import org.baid4j.scoring.Scorer;
import org.baid4j.serving.ScoringServer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The server under load, on this machine's loopback: {@code baid serve}'s server in this process,
 * clients on Java's HttpClient posting images one per request, 1, 4, 16 at once (each level bounded
 * in time and count). Beside it, the same model alone on tensors at batch 1 and 8 (what
 * {@code ./baid bench} measures), and decoding and resizing alone, so that the server's overhead
 * shows. Every answer's score is checked against the scorer's own for that file (the path
 * {@code baid score} takes).
 */
public final class ServeLoadBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to measure. */
    public record Plan(List<Integer> clients, Duration perLevel, int maxRequestsPerLevel, int maxBatch, Duration maxDelay) {
        public Plan {
            if (clients.isEmpty() || clients.stream().anyMatch(c -> c < 1)) {
                throw new IllegalArgumentException("--clients: positive counts, got " + clients);
            }
            if (perLevel.isNegative() || perLevel.isZero() || maxRequestsPerLevel < 1) {
                throw new IllegalArgumentException("each level needs a positive time and request count");
            }
        }
    }

    /** One level of concurrency. */
    public record Level(int clients, int requests, int failures, double seconds, double requestsPerSecond,
                        double p50Ms, double p95Ms, double p99Ms) {
    }

    public record Result(int size, int images, int maxBatch, long maxDelayMs, double modelBatch1ImagesPerSecond,
                         double modelBatch8ImagesPerSecond, double decodeResizeMs, List<Level> levels,
                         double largestScoreDifference) {
        /** A lone request's median latency over the model's own batch-1 time. */
        public double loneOverBatch1() {
            return levels.get(0).p50Ms() / (1000 / modelBatch1ImagesPerSecond);
        }

        /** The most concurrent level's images/s over the model's own batch-8 images/s. */
        public double busiestOverBatch8() {
            return levels.get(levels.size() - 1).requestsPerSecond() / modelBatch8ImagesPerSecond;
        }

        public Map<String, Object> json() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("size", size);
            out.put("images", images);
            out.put("max_batch", maxBatch);
            out.put("max_delay_ms", maxDelayMs);
            out.put("model_batch1_img_per_s", round(modelBatch1ImagesPerSecond, 3));
            out.put("model_batch8_img_per_s", round(modelBatch8ImagesPerSecond, 3));
            out.put("decode_resize_ms", round(decodeResizeMs, 2));
            out.put("levels", levels);
            out.put("lone_p50_over_batch1", round(loneOverBatch1(), 3));
            out.put("busiest_over_batch8", round(busiestOverBatch8(), 3));
            out.put("largest_score_difference", largestScoreDifference);
            return out;
        }

        public String table() {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "| clients | requests | req/s | p50 ms | p95 ms | p99 ms | failed |%n"
                    + "|---|---|---|---|---|---|---|%n"));
            for (Level l : levels) {
                sb.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.0f | %.0f | %.0f | %d |%n", l.clients(), l.requests(),
                        l.requestsPerSecond(), l.p50Ms(), l.p95Ms(), l.p99Ms(), l.failures()));
            }
            sb.append(String.format(Locale.ROOT, "%nSAAN at %d px, %d images, micro-batches of up to %d after %d ms.%n", size, images,
                    maxBatch, maxDelayMs));
            sb.append(String.format(Locale.ROOT, "The model alone on tensors: batch 1 %.2f img/s (%.0f ms), batch 8 %.2f img/s.%n",
                    modelBatch1ImagesPerSecond, 1000 / modelBatch1ImagesPerSecond, modelBatch8ImagesPerSecond));
            sb.append(String.format(Locale.ROOT, "Decoding and resizing alone: %.1f ms an image.%n", decodeResizeMs));
            sb.append(String.format(Locale.ROOT, "A lone request's median over the model's batch 1: %.2f; %d clients' req/s over"
                    + " batch 8's img/s: %.2f.%n", loneOverBatch1(), levels.get(levels.size() - 1).clients(), busiestOverBatch8()));
            sb.append(String.format(Locale.ROOT, "Every answer against the scorer's own score of its file: largest difference %.1e.",
                    largestScoreDifference));
            return sb.toString();
        }
    }

    private ServeLoadBench() {
    }

    public static Result run(AestheticsModel model, List<Path> images, Plan plan, Consumer<String> progress) throws Exception {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to send");
        }
        int size = model.card().preprocessing().inputSize();
        List<byte[]> bodies = new ArrayList<>();
        for (Path p : images) {
            bodies.add(Files.readAllBytes(p));
        }
        model.fixParameters();   // as the Scorer below does: the model alone runs the same scoring pass
        double batch1 = modelImagesPerSecond(model, size, 1, 12);
        double batch8 = modelImagesPerSecond(model, size, 8, 4);
        progress.accept(String.format(Locale.ROOT, "the model alone: batch 1 %.2f img/s, batch 8 %.2f img/s", batch1, batch8));
        double decode = decodeResizeMs(new SaanTransform(model.card().preprocessing()), images, bodies);

        try (Scorer scorer = Aesthetics.builder().setModel(model).optMaxBatch(plan.maxBatch()).optMaxDelay(plan.maxDelay())
                .optQueueCapacity(Math.max(64, 4 * plan.clients().stream().mapToInt(Integer::intValue).max().orElse(1))).build();
             ScoringServer server = ScoringServer.builder().setScorer(scorer).optPort(0).build().start()) {
            double[] expected = new double[images.size()];
            for (int i = 0; i < images.size(); i++) {
                expected[i] = scorer.score(images.get(i));   // as baid score does, one file at a time
            }
            HttpClient http = HttpClient.newBuilder().executor(Executors.newCachedThreadPool(daemon())).build();
            URI uri = server.uri().resolve("/score");
            double[] worst = {0};
            // Warm: the server's threads, the client's connections, the scorer's batches of every size.
            load(http, uri, bodies, expected, worst, plan.clients().stream().mapToInt(Integer::intValue).max().orElse(1),
                    Duration.ofSeconds(3), 3 * plan.maxBatch());
            List<Level> levels = new ArrayList<>();
            for (int clients : plan.clients()) {
                Level level = load(http, uri, bodies, expected, worst, clients, plan.perLevel(), plan.maxRequestsPerLevel());
                progress.accept(String.format(Locale.ROOT, "%d clients: %d requests, %.2f req/s, p50 %.0f ms", clients,
                        level.requests(), level.requestsPerSecond(), level.p50Ms()));
                levels.add(level);
            }
            return new Result(size, images.size(), plan.maxBatch(), plan.maxDelay().toMillis(), batch1, batch8, decode, levels,
                    worst[0]);
        }
    }

    /** {@code clients} threads posting images in turn until the time or the count is spent. */
    private static Level load(HttpClient http, URI uri, List<byte[]> bodies, double[] expected, double[] worst, int clients,
                              Duration time, int maxRequests) throws Exception {
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        long deadline = start + time.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(clients, daemon());
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int first = c;
            running.add(pool.submit(() -> {
                for (int k = first; System.nanoTime() < deadline && sent.getAndIncrement() < maxRequests; k += clients) {
                    int i = k % bodies.size();
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "image/jpeg")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(), HttpResponse.BodyHandlers.ofString());
                        latencies.add((System.nanoTime() - t0) / 1e6);
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                            continue;
                        }
                        JsonNode body = JSON.readTree(r.body());
                        synchronized (worst) {
                            worst[0] = Math.max(worst[0], Math.abs(body.get("score").asDouble() - expected[i]));
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new Level(clients, sorted.length, failures.get(), round(seconds, 2), sorted.length / seconds,
                percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99));
    }

    /** The model's forward pass alone on a random batch: the median of {@code runs} timed calls after two warm-ups. */
    static double modelImagesPerSecond(AestheticsModel model, int size, int batch, int runs) {
        INDArray images = Nd4j.randn(DataType.FLOAT, batch, 3, size, size);
        model.scores(images);
        model.scores(images);
        double[] seconds = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            model.scores(images);
            seconds[r] = (System.nanoTime() - t0) / 1e9;
        }
        return batch / ModelBench.median(seconds);
    }

    /** Decoding and the reference's resize of the images' bytes, and their float layout: the median per image. */
    private static double decodeResizeMs(SaanTransform transform, List<Path> images, List<byte[]> bodies) throws Exception {
        double[] ms = new double[Math.max(images.size(), 9)];
        for (int k = 0; k < ms.length; k++) {
            int i = k % images.size();
            long t0 = System.nanoTime();
            transform.chw(transform.resize(images.get(i), bodies.get(i)));
            ms[k] = (System.nanoTime() - t0) / 1e6;
        }
        return ModelBench.median(ms);
    }

    private static double percentile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static java.util.concurrent.ThreadFactory daemon() {
        return r -> {
            Thread t = new Thread(r, "serve-bench-client");
            t.setDaemon(true);
            return t;
        };
    }
}
