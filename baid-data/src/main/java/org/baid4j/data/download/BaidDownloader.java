package org.baid4j.data.download;

import org.baid4j.core.io.FolderLock;
import org.baid4j.core.io.OutputFile;
import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.ImageDecoder;
import org.baid4j.data.ImageFiles;
import org.baid4j.data.baid.BaidLabels.ImageLink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Downloads BAID's images, built for the real network: parallel; resumable (an image already
 * present and complete is skipped); atomic (each download goes to a hidden temporary file that is
 * renamed only after it decodes as an image, so a killed run never leaves a partial file under an
 * image's name); retries with exponential backoff and full jitter on connection errors, stalls,
 * truncated bodies, 5xx, 408 and 429, and on bodies that are not images (an HTML error page sent
 * with status 200); other 4xx answers are recorded at once. Every failure keeps its last reason.
 */
public final class BaidDownloader {
    /** Told of progress; called from the download threads. */
    public interface Listener {
        default void started(int total, int alreadyPresent) {
        }

        default void finished(String image, boolean ok) {
        }

        default void retrying(String image, int attempt, String reason) {
        }
    }

    private static final String PART_SUFFIX = ".part";
    private static final int MAX_REDIRECTS = 5;

    private final DownloadOptions options;
    private final Listener listener;
    private final Map<String, String> environment;

    public BaidDownloader(DownloadOptions options, Listener listener) {
        this(options, listener, System.getenv());
    }

    BaidDownloader(DownloadOptions options, Listener listener, Map<String, String> environment) {
        this.options = options;
        this.listener = listener;
        this.environment = environment;
    }

    /**
     * Fetches every image of {@code links} that {@code imagesDir} does not hold complete already;
     * the folder is locked meanwhile, so that a second download into it is refused. The lock lives
     * beside it ({@link #lockFile}), never among the images.
     */
    public DownloadSummary download(List<ImageLink> links, Path imagesDir) throws IOException, InterruptedException {
        Files.createDirectories(imagesDir);
        try (FolderLock lock = FolderLock.acquire(imagesDir, lockFile(imagesDir))) {
            return downloadLocked(links, imagesDir);
        }
    }

    /** The lock of a download into {@code imagesDir}: in the root's {@code .baid4j/} folder. */
    public static Path lockFile(Path imagesDir) {
        Path absolute = imagesDir.toAbsolutePath().normalize();
        return absolute.resolveSibling(".baid4j").resolve(absolute.getFileName() + ".lock");
    }

    private DownloadSummary downloadLocked(List<ImageLink> links, Path imagesDir) throws IOException, InterruptedException {
        removeLeftoverParts(imagesDir);
        List<ImageLink> todo = new ArrayList<>();
        int present = 0;
        for (ImageLink link : links) {
            Path target = imagesDir.resolve(link.image());
            if (ImageFiles.quickProblem(target) == null) {
                present++;
            } else {
                Files.deleteIfExists(target);   // a broken file from another tool: fetch it again
                todo.add(link);
            }
        }
        listener.started(links.size(), present);
        List<DownloadSummary.Failure> failures = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger downloaded = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "baid-download");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> jobs = new ArrayList<>();
            for (ImageLink link : todo) {
                jobs.add(pool.submit(() -> {
                    String failure;
                    try {
                        failure = fetchWithRetries(link, imagesDir);
                    } catch (RuntimeException e) {
                        failure = "failed: " + e;   // whatever one address does, the others go on
                    }
                    if (failure == null) {
                        downloaded.incrementAndGet();
                    } else {
                        failures.add(new DownloadSummary.Failure(link.image(), link.url(), failure));
                    }
                    listener.finished(link.image(), failure == null);
                    return null;
                }));
            }
            for (Future<?> job : jobs) {
                job.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("download failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<DownloadSummary.Failure> sorted = new ArrayList<>(failures);
        sorted.sort(java.util.Comparator.comparing(DownloadSummary.Failure::image));
        return new DownloadSummary(downloaded.get(), present, sorted);
    }

    /** Null when the image is in place; else the reason of the last failed attempt. */
    private String fetchWithRetries(ImageLink link, Path imagesDir) throws InterruptedException {
        String reason = null;
        for (int attempt = 1; attempt <= options.retries() + 1; attempt++) {
            if (attempt > 1) {
                listener.retrying(link.image(), attempt, reason);
                Thread.sleep(backoffMillis(attempt - 1));
            }
            Attempt result = attempt(link, imagesDir);
            if (result.ok()) {
                return null;
            }
            reason = result.reason();
            if (!result.retryable()) {
                break;
            }
        }
        return reason;
    }

    /** Full jitter: uniform in [0, min(max, base * 2^(retry-1))]. */
    long backoffMillis(int retry) {
        long cap = Math.min(options.backoffMax().toMillis(), options.backoffBase().toMillis() << Math.min(retry - 1, 30));
        return cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
    }

    private record Attempt(boolean ok, boolean retryable, String reason) {
        static final Attempt OK = new Attempt(true, false, null);

        static Attempt retry(String reason) {
            return new Attempt(false, true, reason);
        }

        static Attempt fail(String reason) {
            return new Attempt(false, false, reason);
        }
    }

    private Attempt attempt(ImageLink link, Path imagesDir) {
        Path part = null;
        try {
            part = Files.createTempFile(imagesDir, "." + link.image() + ".", PART_SUFFIX);
            HttpURLConnection connection = open(new URL(link.url()));
            try {
                int status = connection.getResponseCode();
                if (status == 408 || status == 429 || status >= 500) {
                    return Attempt.retry("HTTP " + status);
                }
                if (status >= 400) {
                    return Attempt.fail("HTTP " + status + " (not retried)");
                }
                if (status != 200) {
                    return Attempt.retry("unexpected HTTP " + status);
                }
                long expected = connection.getContentLengthLong();
                if (expected > options.maxBytes()) {
                    return Attempt.fail(tooLarge(expected + " bytes"));
                }
                long received = 0;
                try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(part)) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        received += n;
                        if (received > options.maxBytes()) {
                            return Attempt.fail(tooLarge("more than " + options.maxBytes() + " bytes"));
                        }
                        out.write(buffer, 0, n);
                    }
                }
                if (expected >= 0 && received != expected) {
                    return Attempt.retry("truncated body (" + received + " of " + expected + " bytes)");
                }
            } finally {
                connection.disconnect();
            }
            try {
                ImageDecoder.decode(imagesDir.resolve(link.image()), Files.readAllBytes(part));
            } catch (ImageDecodeException e) {
                return Attempt.retry(e.getMessage().substring(e.getMessage().indexOf(": ") + 2));
            }
            OutputFile.setUsualMode(part);
            OutputFile.moveInto(part, imagesDir.resolve(link.image()));
            part = null;
            return Attempt.OK;
        } catch (SocketTimeoutException e) {
            return Attempt.retry("timed out (" + e.getMessage() + ")");
        } catch (java.net.MalformedURLException | IllegalArgumentException e) {
            return Attempt.fail("bad address: " + e.getMessage());
        } catch (NotHttpException e) {
            return Attempt.fail(e.getMessage());
        } catch (IOException e) {
            return Attempt.retry(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (RuntimeException e) {
            return Attempt.fail("failed inside the transfer: " + e);
        } finally {
            if (part != null) {
                try {
                    Files.deleteIfExists(part);
                } catch (IOException ignored) {
                    // removed at the next start
                }
            }
        }
    }

    private String tooLarge(String size) {
        return "too large (" + size + "; the limit is " + options.maxBytes() + " bytes, --max-bytes)";
    }

    /** An address (given, or a redirect's) of a scheme other than http and https. */
    private static final class NotHttpException extends IOException {
        NotHttpException(String message) {
            super(message);
        }
    }

    /** A connection with the timeouts and proxy applied, following redirects across http and https. */
    private HttpURLConnection open(URL url) throws IOException {
        URL current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            String scheme = current.getProtocol().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new NotHttpException((hop == 0 ? "not an HTTP(S) address: " : "redirected to an address that is not"
                        + " HTTP(S): ") + current);
            }
            HttpURLConnection c = (HttpURLConnection) current.openConnection(proxyFor(current));
            c.setConnectTimeout((int) options.timeout().toMillis());
            c.setReadTimeout((int) options.timeout().toMillis());
            c.setInstanceFollowRedirects(false);
            c.setRequestProperty("User-Agent", "baid4j-downloader/0.1");
            int status = c.getResponseCode();
            if (status >= 300 && status < 400 && c.getHeaderField("Location") != null) {
                current = new URL(current, c.getHeaderField("Location"));
                c.disconnect();
                continue;
            }
            return c;
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects");
    }

    private Proxy proxyFor(URL url) {
        if (options.proxy() != null) {
            return options.proxy();
        }
        if (Proxies.bypassed(environment, url.getHost())) {
            return Proxy.NO_PROXY;
        }
        return Proxies.fromEnvironment(environment, url.getProtocol());
    }

    private static void removeLeftoverParts(Path imagesDir) throws IOException {
        try (DirectoryStream<Path> parts = Files.newDirectoryStream(imagesDir, ".*" + PART_SUFFIX)) {
            for (Path p : parts) {
                Files.deleteIfExists(p);
            }
        }
    }
}
