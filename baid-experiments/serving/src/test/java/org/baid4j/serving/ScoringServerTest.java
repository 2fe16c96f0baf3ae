package org.baid4j.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.baid4j.core.model.AestheticsModel;
import org.baid4j.core.model.ModelCard;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.scoring.Aesthetics;
import org.baid4j.scoring.Scorer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The server on a loopback port, called by Java's HttpClient as any client would: scores equal the
 * scorer's, every hostile or broken request gets its 4xx (or 503) and a one-line JSON error, and
 * the server answers the next request as if nothing happened.
 */
class ScoringServerTest {
    static final Path EXAMPLES = TinyBaid.EXAMPLES;
    static final ObjectMapper JSON = new ObjectMapper();
    static SaanModel model;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void model() {
        model = SaanModel.create(SaanConfig.reference().withInputSize(64));
    }

    @AfterAll
    static void release() {
        model = null;
    }

    static Scorer scorer(AestheticsModel m, int queue) throws Exception {
        return Aesthetics.builder().setModel(m).optMaxBatch(4).optQueueCapacity(queue).optMaxPixels(4_000_000).build();
    }

    @Test
    void scoresOverHttpAreTheScorersAndItsEndpointsAnswer() throws Exception {
        try (Scorer scorer = scorer(model, 32);
             ScoringServer server = ScoringServer.builder().setScorer(scorer).optPort(0).build().start()) {
            assertEquals("127.0.0.1", server.uri().getHost(), "this machine only, unless asked");
            byte[] jpeg = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
            byte[] png = Files.readAllBytes(EXAMPLES.resolve("brushwork.png"));
            double expectedJpeg = scorer.score(jpeg, "sunset-strokes.jpg");
            double expectedPng = scorer.score(png, "brushwork.png");

            HttpResponse<String> raw = post(server, "/score?name=sunset-strokes.jpg", "image/jpeg", jpeg);
            assertEquals(200, raw.statusCode(), raw.body());
            JsonNode one = JSON.readTree(raw.body());
            assertEquals(expectedJpeg, one.get("score").asDouble(), 1e-5);
            assertEquals("sunset-strokes.jpg", one.get("name").asText());
            assertEquals("application/json", raw.headers().firstValue("content-type").orElse(""));

            HttpResponse<String> form = post(server, "/score", multipart(Map.of("brushwork.png", png)));
            assertEquals(200, form.statusCode(), form.body());
            assertEquals(expectedPng, JSON.readTree(form.body()).get("score").asDouble(), 1e-5);
            assertEquals("brushwork.png", JSON.readTree(form.body()).get("name").asText());

            Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            files.put("sunset-strokes.jpg", jpeg);
            files.put("notes.png", "not an image".getBytes(StandardCharsets.UTF_8));
            files.put("brushwork.png", png);
            HttpResponse<String> batch = post(server, "/score/batch", multipart(files));
            assertEquals(200, batch.statusCode(), batch.body());
            JsonNode results = JSON.readTree(batch.body()).get("results");
            assertEquals(3, results.size());
            assertEquals(expectedJpeg, results.get(0).get("score").asDouble(), 1e-5);
            assertEquals("not-an-image", results.get(1).get("kind").asText(), results.toString());
            assertEquals(expectedPng, results.get(2).get("score").asDouble(), 1e-5);

            assertEquals(200, get(server, "/health").statusCode());
            JsonNode ready = JSON.readTree(get(server, "/ready").body());
            assertEquals("ready", ready.get("status").asText());
            assertEquals(64, ready.get("inputSize").asInt());
            String metrics = get(server, "/metrics").body();
            assertTrue(metrics.contains("baid_requests_total{endpoint=\"score\",status=\"200\"} 2"), metrics);
            assertTrue(metrics.contains("baid_failures_total{kind=\"not-an-image\"} 1"), metrics);
            assertTrue(metrics.contains("baid_batch_size_bucket") && metrics.contains("baid_request_duration_seconds_bucket")
                    && metrics.contains("baid_queue_depth"), metrics);
        }
    }

    @Test
    void hostileAndBrokenRequestsGetTheir4xxAndTheServerGoesOn() throws Exception {
        try (Scorer scorer = scorer(model, 32);
             ScoringServer server = ScoringServer.builder().setScorer(scorer).optPort(0).optMaxBodyBytes(1 << 20)
                     .optMinRequestDataRate(2048).build().start()) {
            byte[] jpeg = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
            assertRefused(post(server, "/score", "image/jpeg", new byte[0]), 400, "empty");
            assertRefused(post(server, "/score", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2)), 422, "damaged");
            assertRefused(post(server, "/score", "image/jpeg", "<html>Too many requests</html>".getBytes()), 422, "not-an-image");
            assertRefused(post(server, "/score", "text/plain", jpeg), 415, "content-type");
            assertRefused(post(server, "/score", "application/x-www-form-urlencoded", jpeg), 415, "content-type");
            assertRefused(post(server, "/score", "image/gif", "GIF89a\u0001\u0000\u0001\u0000".getBytes(StandardCharsets.ISO_8859_1)),
                    415, "unsupported");
            // As curl sends a large body, Expect: 100-continue: the refusal comes before the body is sent.
            // (JDK 17's HttpClient waits forever for a 100 that a refusal never sends, so a socket of our own.)
            String declared = headersOnly(server, "POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + ((1 << 20) + 10) + "\r\n\r\n");
            assertTrue(declared.startsWith("HTTP/1.1 413") && declared.contains("\"kind\":\"too-large\""), declared);
            assertRefused(post(server, "/score", "image/png", bombPng(100_000, 100_000)), 413, "too-large");
            assertRefused(post(server, "/score/batch", "image/jpeg", jpeg), 415, "content-type");
            assertRefused(get(server, "/score"), 405, "method");
            assertRefused(get(server, "/nothing-here"), 404, "not-found");

            // A client that sends its body a byte a second is cut off, and meanwhile others are answered.
            long start = System.nanoTime();
            CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> slowClient(server, jpeg));
            Thread.sleep(500);
            HttpResponse<String> meanwhile = post(server, "/score", "image/jpeg", jpeg);
            assertEquals(200, meanwhile.statusCode(), meanwhile.body());
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "others answered while the slow client trickles");
            String slowAnswer = slow.get(60, TimeUnit.SECONDS);
            assertTrue(slowAnswer.startsWith("HTTP/1.1 408") && slowAnswer.contains("\"kind\":\"slow\""),
                    "the slow client gets its 408: " + slowAnswer);
            assertTrue(System.nanoTime() - start < 10_000_000_000L, "cut off within seconds, not at the idle timeout");

            assertEquals(200, post(server, "/score", "image/jpeg", jpeg).statusCode(), "still answering");
        }
    }

    /** More requests at once than the queue holds: 503 with Retry-After for the rest, never unbounded memory or a stall. */
    @Test
    void aStormBeyondTheQueueGets503WithRetryAfter() throws Exception {
        AestheticsModel slow = new SlowModel(model, 150);
        byte[] jpeg = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
        try (Scorer scorer = scorer(slow, 4);
             ScoringServer server = ScoringServer.builder().setScorer(scorer).optPort(0).build().start()) {
            ExecutorService clients = Executors.newFixedThreadPool(32);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                answers.add(clients.submit(() -> post(server, "/score", "image/jpeg", jpeg)));
            }
            int ok = 0;
            int busy = 0;
            for (Future<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(120, TimeUnit.SECONDS);
                if (r.statusCode() == 200) {
                    ok++;
                } else {
                    assertRefused(r, 503, "queue-full");
                    assertEquals("1", r.headers().firstValue("retry-after").orElse(""), "says when to come back");
                    busy++;
                }
            }
            clients.shutdown();
            assertTrue(ok > 0 && busy > 0, ok + " answered, " + busy + " refused");
            assertEquals(200, post(server, "/score", "image/jpeg", jpeg).statusCode(), "answering again once it passed");
        }
    }

    /** Closing drains: a request in flight is answered, /ready and new requests say 503 meanwhile. */
    @Test
    void closingAnswersTheRequestsInFlightAndRefusesNewOnes() throws Exception {
        AestheticsModel slow = new SlowModel(model, 1500);
        byte[] jpeg = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
        Scorer scorer = scorer(slow, 8);
        ScoringServer server = ScoringServer.builder().setScorer(scorer).optPort(0).build().start();
        CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> post(server, "/score", "image/jpeg", jpeg));
        Thread.sleep(500);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        HttpResponse<String> during = tryGet(server, "/ready");
        assertTrue(during == null || during.statusCode() == 503, "not ready while draining: " + (during == null ? "" : during.body()));
        HttpResponse<String> answered = inFlight.get(30, TimeUnit.SECONDS);
        assertEquals(200, answered.statusCode(), answered.body());
        closing.get(30, TimeUnit.SECONDS);
        assertNull(tryGet(server, "/health"), "stopped after draining");
        scorer.close();
    }

    // ---------------------------------------------------------------------------------------------

    /** A model that takes {@code millis} a batch: requests pile up behind it. */
    record SlowModel(AestheticsModel inner, long millis) implements AestheticsModel {
        @Override
        public ModelCard card() {
            return inner.card();
        }

        @Override
        public double[] scores(INDArray images) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.scores(images);
        }

        @Override
        public ComputationGraph graph() {
            return inner.graph();
        }

        @Override
        public void save(File file, boolean withUpdater) {
            throw new UnsupportedOperationException();
        }
    }

    static void assertRefused(HttpResponse<String> r, int status, String kind) throws Exception {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode body = JSON.readTree(r.body());
        assertEquals(kind, body.get("kind").asText(), r.body());
        assertFalse(body.get("error").asText().isBlank());
        assertEquals(1, r.body().lines().count(), "one line");
    }

    static HttpResponse<String> post(ScoringServer server, String path, String contentType, byte[] body) {
        try {
            return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).header("Content-Type", contentType)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse<String> post(ScoringServer server, String path, Multipart form) {
        return post(server, path, form.contentType(), form.body());
    }

    static HttpResponse<String> get(ScoringServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> tryGet(ScoringServer server, String path) {
        try {
            return get(server, path);
        } catch (Exception e) {
            return null;   // refused: the connector is closed
        }
    }

    record Multipart(String contentType, byte[] body) {
    }

    static Multipart multipart(Map<String, byte[]> files) {
        String boundary = "baid4j-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"" + f.getKey()
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(f.getValue());
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
    }

    /** A PNG whose header claims {@code w} x {@code h} pixels, and nothing more: a decompression bomb's front. */
    static byte[] bombPng(int w, int h) {
        ByteBuffer b = ByteBuffer.allocate(8 + 25 + 12);
        b.put(new byte[]{(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        b.putInt(13).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(w).putInt(h).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0).putInt(0);
        b.putInt(0).put("IEND".getBytes(StandardCharsets.US_ASCII)).putInt(0xAE426082);
        return b.array();
    }

    /** Sends the headers at once and the body a byte a second; returns what the server answered (empty: it closed). */
    /** Sends a request's head only and returns what the server answers before its body. */
    static String headersOnly(ScoringServer server, String head) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String slowClient(ScoringServer server, byte[] body) {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /score HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 40; i++) {
                try {
                    out.write(body[i]);
                    out.flush();
                } catch (java.io.IOException closed) {
                    break;
                }
                if (in.available() > 0) {
                    break;
                }
                Thread.sleep(1000);
            }
            return new String(in.readNBytes(400), StandardCharsets.US_ASCII);
        } catch (java.io.IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
