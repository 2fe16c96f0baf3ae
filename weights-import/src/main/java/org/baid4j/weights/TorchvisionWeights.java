package org.baid4j.weights;

import org.baid4j.core.io.FolderLock;
import org.baid4j.core.io.OutputFile;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * torchvision's ImageNet state_dicts, the backbones SAAN starts from, fetched as torch.hub fetches
 * them: under their published names, checked against the SHA-256 prefix each name carries,
 * resumed where a download stopped, and kept in the user's cache ({@code $XDG_CACHE_HOME/baid4j},
 * else {@code ~/.cache/baid4j}).
 */
public final class TorchvisionWeights {
    /** The state_dicts SAAN's backbones take. */
    public enum Backbone {
        VGG19("vgg19", "vgg19-dcbb9e9d.pth", CheckpointLayout.TORCHVISION_VGG19),
        RESNET50("resnet50", "resnet50-0676ba61.pth", CheckpointLayout.TORCHVISION_RESNET50);

        private final String label;
        private final String fileName;
        private final CheckpointLayout layout;

        Backbone(String label, String fileName, CheckpointLayout layout) {
            this.label = label;
            this.fileName = fileName;
            this.layout = layout;
        }

        public String label() {
            return label;
        }

        /** The published name, with the first hex digits of its SHA-256 after the dash. */
        public String fileName() {
            return fileName;
        }

        public CheckpointLayout layout() {
            return layout;
        }


        public static Backbone parse(String s) {
            for (Backbone b : values()) {
                if (b.label.equalsIgnoreCase(s)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("unknown backbone '" + s + "': vgg19 or resnet50");
        }
    }

    /** Where torchvision publishes them. */
    public static final URI PUBLISHED = URI.create("https://download.pytorch.org/models/");

    /** The keyword that stands for the cached file in --vgg and --resnet. */
    public static final String AUTO = "auto";

    /** How long a mirror may stay silent, before answering or between bytes, unless told otherwise. */
    public static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final Duration stall;

    /** Fetching from {@code base} (torchvision's address, or a mirror holding the same file names). */
    public TorchvisionWeights(URI base) {
        this(base, STALL_TIMEOUT);
    }

    /** ... giving up on a mirror silent for {@code stall}: no answer, or no byte of the body. */
    public TorchvisionWeights(URI base, Duration stall) {
        if (stall.isZero() || stall.isNegative()) {
            throw new IllegalArgumentException("--timeout must be positive, got " + stall.toSeconds() + " s");
        }
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.stall = stall;
    }

    /** The user's cache folder for these files. */
    public static Path cacheDir(Map<String, String> env) {
        String xdg = env.get("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("baid4j");
    }

    /**
     * The file a --vgg or --resnet option names: itself, or for {@value #AUTO} the cached download,
     * which must be there already (training does not download; the message says how to get it).
     */
    public static Path resolve(String option, String value, Backbone backbone) {
        return resolve(option, value, backbone, System.getenv());
    }

    static Path resolve(String option, String value, Backbone backbone, Map<String, String> env) {
        if (value == null || !value.equals(AUTO)) {
            return value == null ? null : Path.of(value);
        }
        Path cached = cacheDir(env).resolve(backbone.fileName());
        if (!Files.isRegularFile(cached)) {
            throw new IllegalArgumentException(option + " " + AUTO + ": " + cached + " is not there yet; run"
                    + " ./baid fetch-weights " + backbone.label() + ", or put torchvision's " + backbone.fileName()
                    + " there");
        }
        return cached;
    }

    /**
     * {@code dir}/{@code fileName}, downloaded unless it is there and whole; a partial
     * download resumes from its length. A file whose SHA-256 does not start with the name's prefix
     * is removed and refused.
     */
    public Path fetch(Backbone backbone, Path dir, LongConsumer progress) throws IOException, InterruptedException {
        return fetch(backbone.fileName(), dir, progress);
    }

    /** {@link #fetch(Backbone, Path, LongConsumer)} for any file published under a torch.hub name ({@code name-HASH.ext}). */
    public Path fetch(String fileName, Path dir, LongConsumer progress) throws IOException, InterruptedException {
        return fetch(fileName, dir, progress, note -> { });
    }

    /**
     * ... saying to {@code notes} what it does beyond downloading (a part file it cannot use and
     * removes). A file already at the name that is not the published one is never removed: it may
     * be the user's own; the error names it.
     */
    public Path fetch(String fileName, Path dir, LongConsumer progress, Consumer<String> notes)
            throws IOException, InterruptedException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + ": a file, not a folder to fetch " + fileName + " into");
        }
        Files.createDirectories(dir);
        Path target = OutputFile.throughLinks(dir.resolve(fileName));
        try (FolderLock lock = FolderLock.acquireFile(target)) {
            if (Files.isRegularFile(target)) {
                String digest = sha256(target);
                if (!digest.startsWith(hashPrefix(fileName))) {
                    throw new IOException(target + ": there already, and not the published file (SHA-256 "
                            + digest.substring(0, 12) + "..., the name says " + hashPrefix(fileName)
                            + "...); move it away to fetch the published one");
                }
                return target;
            }
            Path part = target.resolveSibling(fileName + ".part");
            for (int attempt = 0; ; attempt++) {
                long have = Files.isRegularFile(part) ? Files.size(part) : 0;
                Download d = download(fileName, part, have, progress);
                if (d == Download.PAST_THE_END) {
                    // The part is as long as the file, or longer: whole, or damaged.
                    if (sha256(part).startsWith(hashPrefix(fileName))) {
                        break;
                    }
                    Files.delete(part);
                    notes.accept(part + ": as long as the file or longer, and not the published file; removed,"
                            + " fetching it again");
                    if (attempt > 0) {
                        throw new IOException(base.resolve(fileName) + ": the server refuses a download from the"
                                + " start (HTTP 416)");
                    }
                    continue;
                }
                break;
            }
            String digest = sha256(part);
            if (!digest.startsWith(hashPrefix(fileName))) {
                Files.delete(part);
                throw new IOException(target + ": SHA-256 " + digest.substring(0, 12) + "..., the name says "
                        + hashPrefix(fileName) + "...: not the published file (damaged?); removed, run again to fetch it");
            }
            OutputFile.setUsualMode(part);
            return OutputFile.moveInto(part, target);
        }
    }

    private enum Download { DONE, PAST_THE_END }

    /** Appends the file's bytes from {@code have} on to {@code part}, or from the start where the server ignores the range. */
    private Download download(String fileName, Path part, long have, LongConsumer progress) throws IOException {
        URI address = base.resolve(fileName);
        int millis = (int) Math.min(Integer.MAX_VALUE, stall.toMillis());
        long seconds = stall.toSeconds();
        HttpURLConnection connection;
        int status;
        try {
            connection = (HttpURLConnection) address.toURL().openConnection();
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            connection.setInstanceFollowRedirects(true);
            connection.setRequestProperty("User-Agent", "baid4j-fetch-weights/0.1");
            if (have > 0) {
                connection.setRequestProperty("Range", "bytes=" + have + "-");
            }
            status = connection.getResponseCode();
        } catch (ConnectException | UnknownHostException e) {
            throw new IOException("cannot reach " + address + " (" + e + "); offline? Fetch " + fileName
                    + " on another machine and put it at " + part.resolveSibling(fileName), e);
        } catch (SocketTimeoutException e) {
            throw new IOException(address + ": no answer in " + seconds + " s; try again later, give --mirror, or a"
                    + " longer --timeout", e);
        }
        try {
            if (status == 416 && have > 0) {
                return Download.PAST_THE_END;
            }
            boolean append = status == 206;
            if (status != 200 && !append) {
                throw new IOException(address + ": HTTP " + status + "; put torchvision's " + fileName + " at "
                        + part.resolveSibling(fileName) + " by hand, or give --mirror");
            }
            long expected = connection.getContentLengthLong();
            long received = 0;
            try (InputStream in = connection.getInputStream();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    received += n;
                    progress.accept((append ? have : 0) + received);
                }
            } catch (SocketTimeoutException e) {
                throw new IOException(address + ": the download stalled for " + seconds + " s after " + Files.size(part)
                        + " bytes; run the same command again to resume", e);
            } catch (IOException e) {
                throw new IOException(address + ": the download stopped after " + Files.size(part) + " bytes ("
                        + e.getMessage() + "); run the same command again to resume", e);
            }
            if (expected >= 0 && received < expected) {
                throw new IOException(address + ": the download stopped after " + Files.size(part) + " bytes, "
                        + (expected - received) + " short; run the same command again to resume");
            }
            return Download.DONE;
        } finally {
            connection.disconnect();
        }
    }

    private static String hashPrefix(String fileName) {
        return fileName.substring(fileName.lastIndexOf('-') + 1, fileName.lastIndexOf('.'));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest()).toLowerCase(Locale.ROOT);
    }
}
