package org.baid4j.serving;

import org.baid4j.scoring.Scorer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.URI;
import java.time.Duration;

/**
 * A {@link Scorer} behind HTTP, on Jetty 12's core API: {@code POST /score} (an image as the body,
 * or one multipart part), {@code POST /score/batch} (several parts), {@code GET /health},
 * {@code /ready} and {@code /metrics} (Prometheus). Requests waiting together share the scorer's
 * batches. Bodies past a size limit, images past a pixel limit, clients sending slower than a
 * minimum rate, and requests beyond the scorer's queue get a 4xx or a 503 with a one-line JSON
 * error; the server goes on answering the rest. It binds to 127.0.0.1 unless told otherwise.
 * {@link #close} drains: requests in flight are answered, new ones refused with 503.
 *
 * <pre>
 * try (Scorer scorer = Aesthetics.load(Path.of("model_best.pth"));
 *      ScoringServer server = ScoringServer.builder().setScorer(scorer).optPort(8080).build().start()) {
 *     server.join();
 * }
 * </pre>
 */
public final class ScoringServer implements AutoCloseable {
    private final Server jetty;
    private final ServerConnector connector;
    private final ScoringHandler handler;
    private final Duration drain;

    private ScoringServer(Builder b) {
        QueuedThreadPool threads = new QueuedThreadPool(b.threads, Math.min(8, b.threads));
        threads.setName("baid4j-serve");
        threads.setDaemon(true);
        jetty = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setIdleTimeout(b.idleTimeout.toMillis());
        connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost(b.host);
        connector.setPort(b.port);
        connector.setIdleTimeout(b.idleTimeout.toMillis());
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(b.maxConnections, connector));
        handler = new ScoringHandler(b.scorer, new ServerMetrics(b.scorer), b.maxBodyBytes, b.minRequestDataRate,
                b.maxImagesPerBatch, b.answerTimeout);
        jetty.setHandler(new GracefulHandler(handler));
        jetty.setStopTimeout(b.drain.toMillis());
        jetty.setStopAtShutdown(false);   // the caller drains (the CLI on SIGTERM), not a JVM hook of Jetty's
        this.drain = b.drain;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds and starts answering. */
    public ScoringServer start() throws Exception {
        jetty.start();
        return this;
    }

    /** The port bound (the one asked, or a free one for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The address to call, http://host:port. */
    public URI uri() {
        String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port());
    }

    /** Waits until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    /**
     * Drains and stops: /ready says so, new requests get 503, requests in flight are answered
     * (for up to the drain timeout), then the connector closes.
     */
    @Override
    public void close() throws Exception {
        handler.draining();
        jetty.stop();
    }

    public Duration drainTimeout() {
        return drain;
    }

    /** What to serve ({@code set*}) and how ({@code opt*}, each with a default). */
    public static final class Builder {
        /** The largest request body taken, by default: a large photograph of an artwork is well under it. */
        public static final long DEFAULT_MAX_BODY_BYTES = 32L << 20;
        private Scorer scorer;
        private String host = "127.0.0.1";
        private int port = 8080;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxImagesPerBatch = 64;
        private long minRequestDataRate = 8 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Duration answerTimeout = Duration.ofSeconds(60);
        private Duration drain = Duration.ofSeconds(30);
        private int threads = 64;
        private int maxConnections = 256;

        private Builder() {
        }

        /** The scorer the requests go to (its maximum batch and delay are the server's micro-batching). */
        public Builder setScorer(Scorer scorer) {
            this.scorer = scorer;
            return this;
        }

        /** The address to bind (default 127.0.0.1, this machine only; 0.0.0.0 for every interface). */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** The port (default 8080; 0 for any free one). */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** The largest body a request may have (default 32 MiB); past it, 413. */
        public Builder optMaxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return this;
        }

        /** The most images one /score/batch request may hold (default 64). */
        public Builder optMaxImagesPerBatch(int images) {
            this.maxImagesPerBatch = images;
            return this;
        }

        /** The slowest a client may send its body, in bytes a second (default 8 KiB/s); slower is cut off. */
        public Builder optMinRequestDataRate(long bytesPerSecond) {
            this.minRequestDataRate = bytesPerSecond;
            return this;
        }

        /** How long a connection may stay silent (default 30 s). */
        public Builder optIdleTimeout(Duration timeout) {
            this.idleTimeout = timeout;
            return this;
        }

        /** The longest a request waits for its score once read (default 60 s); past it, 503. */
        public Builder optAnswerTimeout(Duration timeout) {
            this.answerTimeout = timeout;
            return this;
        }

        /** How long {@link #close} waits for requests in flight (default 30 s). */
        public Builder optDrainTimeout(Duration timeout) {
            this.drain = timeout;
            return this;
        }

        /** Threads that read requests and decode images (default 64). */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Connections held at once (default 256); more wait to be accepted. */
        public Builder optMaxConnections(int connections) {
            this.maxConnections = connections;
            return this;
        }

        public ScoringServer build() {
            if (scorer == null) {
                throw new IllegalArgumentException("no scorer: call setScorer first");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("a port is 0 to 65535, got " + port);
            }
            if (maxBodyBytes < 1 || maxImagesPerBatch < 1 || threads < 4 || maxConnections < 1 || minRequestDataRate < 0) {
                throw new IllegalArgumentException("limits must be positive (threads at least 4)");
            }
            return new ScoringServer(this);
        }
    }
}
