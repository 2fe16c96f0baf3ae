package org.baid4j.data.download;

import java.net.Proxy;
import java.time.Duration;

/**
 * How {@link BaidDownloader} behaves on the network.
 *
 * @param threads     parallel downloads
 * @param retries     further attempts after a failed one (connection errors, timeouts, 5xx, 408, 429,
 *                    truncated or non-image bodies); other 4xx answers are final at once
 * @param timeout     connect timeout, and the longest a response may stall between bytes
 * @param proxy       the HTTP(S) proxy; {@link Proxy#NO_PROXY} for none; null to follow the environment
 *                    (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, ...)
 * @param backoffBase first retry waits up to this long; each later one up to twice the last (with jitter)
 * @param backoffMax  cap on one wait
 * @param maxBytes    the largest body accepted; a larger image fails as too large (bodies are streamed
 *                    to disk, so memory does not grow with them)
 */
public record DownloadOptions(int threads, int retries, Duration timeout, Proxy proxy, Duration backoffBase,
                              Duration backoffMax, long maxBytes) {
    /** BAID's largest images are a few tens of megabytes. */
    public static final long DEFAULT_MAX_BYTES = 200L * 1024 * 1024;

    public DownloadOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must be at least 0, got " + retries);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("--max-bytes must be at least 1, got " + maxBytes);
        }
    }

    public static DownloadOptions defaults() {
        return new DownloadOptions(16, 5, Duration.ofSeconds(30), null, Duration.ofSeconds(1),
                Duration.ofSeconds(60), DEFAULT_MAX_BYTES);
    }

    public DownloadOptions withThreads(int n) {
        return new DownloadOptions(n, retries, timeout, proxy, backoffBase, backoffMax, maxBytes);
    }

    public DownloadOptions withRetries(int n) {
        return new DownloadOptions(threads, n, timeout, proxy, backoffBase, backoffMax, maxBytes);
    }

    public DownloadOptions withTimeout(Duration t) {
        return new DownloadOptions(threads, retries, t, proxy, backoffBase, backoffMax, maxBytes);
    }

    public DownloadOptions withProxy(Proxy p) {
        return new DownloadOptions(threads, retries, timeout, p, backoffBase, backoffMax, maxBytes);
    }

    public DownloadOptions withBackoff(Duration base, Duration max) {
        return new DownloadOptions(threads, retries, timeout, proxy, base, max, maxBytes);
    }

    public DownloadOptions withMaxBytes(long n) {
        return new DownloadOptions(threads, retries, timeout, proxy, backoffBase, backoffMax, n);
    }
}
