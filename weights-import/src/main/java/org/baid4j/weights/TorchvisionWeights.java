package org.baid4j.weights;

import org.baid4j.core.io.FolderLock;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
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

    private final URI base;
    private final HttpClient http;

    /** Fetching from {@code base} (torchvision's address, or a mirror holding the same file names). */
    public TorchvisionWeights(URI base) {
        this.base = base.toString().endsWith("/") ? base : URI.create(base + "/");
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
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
        Files.createDirectories(dir);
        Path target = dir.resolve(fileName);
        try (FolderLock lock = FolderLock.acquireFile(target)) {
            if (Files.isRegularFile(target)) {
                checkHash(fileName, target, target);
                return target;
            }
            Path part = dir.resolve(fileName + ".part");
            URI address = base.resolve(fileName);
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            HttpRequest.Builder request = HttpRequest.newBuilder(address).timeout(Duration.ofMinutes(10))
                    .header("User-Agent", "baid4j-fetch-weights/0.1");
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (ConnectException | UnknownHostException | java.net.http.HttpConnectTimeoutException e) {
                throw new IOException("cannot reach " + address + " (" + e + "); offline? Fetch " + fileName
                        + " on another machine and put it at " + target, e);
            }
            boolean append = response.statusCode() == 206;
            if (response.statusCode() != 200 && !append) {
                response.body().close();
                throw new IOException(address + ": HTTP " + response.statusCode() + "; put torchvision's "
                        + fileName + " at " + target + " by hand, or give --mirror");
            }
            long expected = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            long received = 0;
            try (InputStream in = response.body();
                 OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    received += n;
                    progress.accept((append ? have : 0) + received);
                }
            } catch (IOException e) {
                throw new IOException(address + ": the download stopped after " + Files.size(part) + " bytes (" + e.getMessage()
                        + "); run the same command again to resume", e);
            }
            if (expected >= 0 && received < expected) {
                throw new IOException(address + ": the download stopped after " + Files.size(part) + " bytes, "
                        + (expected - received) + " short; run the same command again to resume");
            }
            checkHash(fileName, part, target);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return target;
        }
    }

    /** torch.hub's check: the SHA-256's hex digest starts with the digits after the name's last dash. */
    private static void checkHash(String fileName, Path file, Path shownAs) throws IOException {
        String prefix = fileName.substring(fileName.lastIndexOf('-') + 1, fileName.lastIndexOf('.'));
        String digest = sha256(file);
        if (!digest.startsWith(prefix)) {
            Files.delete(file);
            throw new IOException(shownAs + ": SHA-256 " + digest.substring(0, 12) + "..., the name says " + prefix
                    + "...: not the published file (damaged?); removed, run again to fetch it");
        }
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
