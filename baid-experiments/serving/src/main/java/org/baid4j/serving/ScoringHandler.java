package org.baid4j.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.baid4j.scoring.QueueFullException;
import org.baid4j.scoring.Scorer;
import org.baid4j.scoring.ScoringException;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The server's endpoints. Every answer is JSON (but /metrics), every refusal one line:
 * {@code {"error": "...", "kind": "..."}} with its status: 400 (an empty body, a malformed
 * request), 404, 405, 408 (a body sent too slowly), 413 (a body or an image past the limits), 415
 * (a content type that is no image, or an image format not read here), 422 (bytes that are not an
 * image, or a damaged one), 503 with Retry-After (the queue is full, or the server drains), 500
 * (the model failed).
 */
final class ScoringHandler extends Handler.Abstract {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Scorer scorer;
    private final ServerMetrics metrics;
    private final long maxBodyBytes;
    private final long minDataRate;
    private final int maxImagesPerBatch;
    private final Duration answerTimeout;
    private volatile boolean draining;

    ScoringHandler(Scorer scorer, ServerMetrics metrics, long maxBodyBytes, long minDataRate, int maxImagesPerBatch,
                   Duration answerTimeout) {
        this.scorer = scorer;
        this.metrics = metrics;
        this.maxBodyBytes = maxBodyBytes;
        this.minDataRate = minDataRate;
        this.maxImagesPerBatch = maxImagesPerBatch;
        this.answerTimeout = answerTimeout;
    }

    /** From now on /ready says 503 (load balancers stop sending), and so does every new request. */
    void draining() {
        draining = true;
    }

    /** A request refused: its status, the kind of problem and the line that says it. */
    static final class Refusal extends Exception {
        final int status;
        final String kind;

        Refusal(int status, String kind, String message) {
            super(message, null, false, false);
            this.status = status;
            this.kind = kind;
        }
    }

    /** Blocking (reading a body, waiting for the model): Jetty calls it on a thread of its pool. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        serve(request, response, callback);
        return true;
    }

    private void serve(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        String path = Request.getPathInContext(request);
        String endpoint = switch (path) {
            case "/score", "/score/batch", "/health", "/ready", "/metrics" -> path.substring(1);
            default -> "other";
        };
        int status;
        try {
            status = route(path, request, response, callback);
        } catch (Refusal r) {
            metrics.failed(r.kind);
            if (r.status == 503) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            }
            if (r.status == 413 || r.status == 408) {
                // The rest of the body is not read: a client must not send its next request on this connection.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", r.getMessage());
            body.put("kind", r.kind);
            status = r.status;
            json(response, callback, status, body);
        } catch (RuntimeException | Error e) {
            metrics.failed("server");
            status = 500;
            json(response, callback, status, Map.of("error", "the server failed: " + e, "kind", "server"));
        }
        metrics.answered(endpoint, status, start);
    }

    private int route(String path, Request request, Response response, Callback callback) throws Refusal {
        String method = request.getMethod();
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET", response);
                return json(response, callback, 200, Map.of("status", "ok"));
            }
            case "/ready" -> {
                requireMethod(method, "GET", response);
                if (draining) {
                    throw new Refusal(503, "draining", "the server is shutting down");
                }
                Map<String, Object> ready = new LinkedHashMap<>();
                ready.put("status", "ready");
                ready.put("model", scorer.model().card().type());
                ready.put("inputSize", scorer.preprocessing().inputSize());
                ready.put("maxBatch", scorer.maxBatch());
                return json(response, callback, 200, ready);
            }
            case "/metrics" -> {
                requireMethod(method, "GET", response);
                ByteArrayOutputStream text = new ByteArrayOutputStream();
                try {
                    metrics.write(text);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, metrics.contentType());
                response.write(true, ByteBuffer.wrap(text.toByteArray()), callback);
                return 200;
            }
            case "/score" -> {
                requireMethod(method, "POST", response);
                refuseWhileDraining();
                Image image = single(request);
                return json(response, callback, 200, scored(image, await(image, submit(image))));
            }
            case "/score/batch" -> {
                requireMethod(method, "POST", response);
                refuseWhileDraining();
                return json(response, callback, 200, Map.of("results", batch(request)));
            }
            default -> throw new Refusal(404, "not-found", "no endpoint " + path + ": POST /score, POST /score/batch,"
                    + " GET /health, /ready, /metrics");
        }
    }

    private void refuseWhileDraining() throws Refusal {
        if (draining) {
            throw new Refusal(503, "draining", "the server is shutting down; try another");
        }
    }

    private static void requireMethod(String method, String wanted, Response response) throws Refusal {
        if (!wanted.equals(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, wanted);
            throw new Refusal(405, "method", method + " is not served here; " + wanted + " is");
        }
    }

    /** An encoded image from a request, and the name it goes by in answers and errors. */
    private record Image(String name, byte[] bytes) {
    }

    /** The image of a /score request: the body itself (an image type or octet-stream), or a multipart form's one file. */
    private Image single(Request request) throws Refusal {
        String type = contentType(request);
        Fields query = Request.extractQueryParameters(request);
        String name = query.getValue("name") != null ? query.getValue("name") : "image";
        if (type.startsWith("multipart/form-data")) {
            List<Image> parts = parts(request, 1);
            if (parts.size() != 1) {
                throw new Refusal(400, "malformed", "POST /score takes one image: " + parts.size() + " parts came (POST"
                        + " /score/batch takes several)");
            }
            return parts.get(0);
        }
        return new Image(name, body(request, type));
    }

    private List<Map<String, Object>> batch(Request request) throws Refusal {
        String type = contentType(request);
        if (!type.startsWith("multipart/form-data")) {
            read(request);
            throw new Refusal(415, "content-type", "POST /score/batch takes multipart/form-data, one part an image (curl -F"
                    + " image=@a.jpg -F image=@b.png), not " + (type.isEmpty() ? "no content type" : type));
        }
        List<Image> images = parts(request, maxImagesPerBatch);
        if (images.isEmpty()) {
            throw new Refusal(400, "empty", "no image in the form");
        }
        // Submitted together: waiting together, they share the scorer's batches.
        List<Object> pending = new ArrayList<>();
        for (Image image : images) {
            try {
                pending.add(submit(image));
            } catch (Refusal r) {
                if (r.status == 503) {
                    throw r;
                }
                metrics.failed(r.kind);
                pending.add(r);
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            Object p = pending.get(i);
            Map<String, Object> row;
            if (p instanceof Refusal r) {
                row = refused(images.get(i), r);
            } else {
                @SuppressWarnings("unchecked")
                CompletableFuture<Double> future = (CompletableFuture<Double>) p;
                try {
                    row = scored(images.get(i), await(images.get(i), future));
                } catch (Refusal r) {
                    if (r.status >= 500) {
                        throw r;
                    }
                    metrics.failed(r.kind);
                    row = refused(images.get(i), r);
                }
            }
            results.add(row);
        }
        return results;
    }

    /** A batch's row for an image refused alone: the others of its batch are still scored. */
    private static Map<String, Object> refused(Image image, Refusal r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", image.name());
        row.put("error", r.getMessage());
        row.put("kind", r.kind);
        return row;
    }

    private static Map<String, Object> scored(Image image, double score) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("name", image.name());
        row.put("score", score);
        return row;
    }

    private CompletableFuture<Double> submit(Image image) throws Refusal {
        if (image.bytes().length == 0) {
            throw new Refusal(400, "empty", image.name() + ": an empty body; send an image's bytes");
        }
        try {
            return scorer.scoreAsync(image.bytes(), image.name(), false);
        } catch (QueueFullException e) {
            throw new Refusal(503, "queue-full", "the server is busy (" + scorer.queueCapacity() + " images waiting);"
                    + " try again shortly");
        } catch (ScoringException e) {
            throw refusal(e);
        }
    }

    private double await(Image image, CompletableFuture<Double> future) throws Refusal {
        try {
            return future.get(answerTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(false);
            throw new Refusal(503, "timeout", image.name() + ": no score within " + answerTimeout.toSeconds() + " s; try again");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            if (cause instanceof ScoringException s) {
                throw refusal(s);
            }
            throw new Refusal(500, "model", image.name() + ": the model failed (" + cause + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refusal(503, "draining", "the server is shutting down");
        }
    }

    private static Refusal refusal(ScoringException e) {
        int status = switch (e.kind()) {
            case EMPTY, UNREADABLE -> 400;
            case TOO_LARGE -> 413;
            case UNSUPPORTED -> 415;
            case NOT_AN_IMAGE, DAMAGED -> 422;
            case MODEL -> 500;
        };
        return new Refusal(status, e.kind().label(), e.getMessage());
    }

    private static String contentType(Request request) {
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        return type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
    }

    /** A raw body: an image type or octet-stream, within the size limit, sent fast enough. */
    private byte[] body(Request request, String type) throws Refusal {
        String bare = type.contains(";") ? type.substring(0, type.indexOf(';')).strip() : type;
        if (!(bare.startsWith("image/") || bare.equals("application/octet-stream"))) {
            read(request);   // read, so that the client may send its next request on this connection
            throw new Refusal(415, "content-type", "a body of " + (bare.isEmpty() ? "no content type" : bare)
                    + ": send an image with Content-Type image/jpeg (or png, bmp, tiff, webp, application/octet-stream),"
                    + " or a multipart form (curl -F image=@art.jpg)");
        }
        return read(request);
    }

    /**
     * The whole body, refused past the size limit (413) or when it comes slower than the minimum
     * rate after its first second (408). Jetty 12.1 no longer enforces HttpConfiguration's minimum
     * request data rate, so the rate is checked here, at each chunk read.
     */
    private byte[] read(Request request) throws Refusal {
        long declared = request.getLength();
        if (declared > maxBodyBytes) {
            throw new Refusal(413, "too-large", "a body of " + declared + " bytes; the limit is " + maxBodyBytes);
        }
        long start = System.nanoTime();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(declared > 0 ? (int) declared : 64 * 1024);
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = Request.asInputStream(request)) {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                bytes.write(chunk, 0, n);
                if (bytes.size() > maxBodyBytes) {
                    throw new Refusal(413, "too-large", "a body past the limit of " + maxBodyBytes + " bytes");
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                if (minDataRate > 0 && seconds > 1 && bytes.size() < minDataRate * seconds) {
                    throw new Refusal(408, "slow", String.format(Locale.ROOT, "the body came too slowly: %d bytes in %.1f s,"
                            + " under the minimum of %d bytes a second", bytes.size(), seconds, minDataRate));
                }
            }
            return bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw unreadable(e);
        }
    }

    private List<Image> parts(Request request, int maxParts) throws Refusal {
        byte[] body = read(request);
        MultiPartConfig config = new MultiPartConfig.Builder().maxParts(maxParts).maxSize(maxBodyBytes)
                .maxPartSize(maxBodyBytes).maxMemoryPartSize(maxBodyBytes).build();
        try (MultiPartFormData.Parts parts = MultiPartFormData.getParts(new ByteBufferContentSource(ByteBuffer.wrap(body)),
                request, contentType(request), config)) {
            List<Image> images = new ArrayList<>();
            int n = 0;
            for (MultiPart.Part part : parts) {
                n++;
                String name = part.getFileName() != null ? part.getFileName()
                        : part.getName() != null ? part.getName() : "part " + n;
                try (InputStream in = Content.Source.asInputStream(part.getContentSource())) {
                    images.add(new Image(name, in.readAllBytes()));
                }
            }
            return images;
        } catch (IOException | RuntimeException e) {
            throw unreadable(e);
        }
    }

    /** A body that could not be read: too large, too slow, or not the multipart form it says. */
    private Refusal unreadable(Throwable e) {
        HttpException http = HttpException.asHttpException(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String what = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        if (http != null && http.getCode() == 413 || what.toLowerCase(Locale.ROOT).contains("max")) {
            return new Refusal(413, "too-large", "the body is past the limits (" + maxBodyBytes + " bytes, "
                    + maxImagesPerBatch + " images): " + what);
        }
        if (root instanceof TimeoutException || what.toLowerCase(Locale.ROOT).contains("rate")
                || what.toLowerCase(Locale.ROOT).contains("timeout")) {
            return new Refusal(408, "slow", "the body came too slowly (" + what + ")");
        }
        return new Refusal(400, "malformed", "the body could not be read: " + what);
    }

    private static int json(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            bytes = ("{\"error\": \"" + e + "\"}").getBytes(StandardCharsets.UTF_8);
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(bytes), callback);
        return status;
    }
}
