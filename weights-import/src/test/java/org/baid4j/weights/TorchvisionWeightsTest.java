package org.baid4j.weights;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * fetch-weights against a server on 127.0.0.1 standing in for download.pytorch.org (which is not
 * reachable here): a good file, one cut short (resumed with a Range request), one whose bytes do
 * not match the hash in its name, and no server at all.
 */
class TorchvisionWeightsTest {

    @Test
    void fetchesVerifiesResumesAndRefuses(@TempDir Path dir) throws Exception {
        byte[] body = new byte[300_000];
        new Random(7).nextBytes(body);
        String good = "tiny-" + sha256(body).substring(0, 8) + ".pth";
        String wrong = "tiny-00000000.pth";
        AtomicInteger cutRequests = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> lastRange = new java.util.concurrent.atomic.AtomicReference<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> serve(ex, body, cutRequests, lastRange));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/models/";
            TorchvisionWeights source = new TorchvisionWeights(URI.create(base + "ok"));
            TorchvisionWeights cutting = new TorchvisionWeights(URI.create(base + "cut"));
            Path cache = dir.resolve("cache");

            Path file = source.fetch(good, cache.resolve("ok"), b -> { });
            assertEquals(cache.resolve("ok").resolve(good), file);
            assertArrayEquals(body, Files.readAllBytes(file));

            IOException cut = assertThrows(IOException.class, () -> cutting.fetch(good, cache.resolve("cut"), b -> { }));
            // The server closes after 100,000 bytes; how many reach the client before the close depends
            // on the socket's teardown (a reset can drop the last segments), so the count is read back.
            java.util.regex.Matcher got = java.util.regex.Pattern.compile("stopped after (\\d+) bytes").matcher(cut.getMessage());
            assertTrue(got.find() && cut.getMessage().contains("resume"), cut.getMessage());
            long kept = Long.parseLong(got.group(1));
            assertTrue(kept > 0 && kept <= 100_000, cut.getMessage());
            Path resumed = cutting.fetch(good, cache.resolve("cut"), b -> { });
            assertArrayEquals(body, Files.readAllBytes(resumed));
            assertEquals(2, cutRequests.get());
            assertEquals("bytes=" + kept + "-", lastRange.get(), "the second run continued from the byte the first stopped at");

            IOException hash = assertThrows(IOException.class, () -> source.fetch(wrong, cache.resolve("bad"), b -> { }));
            assertTrue(hash.getMessage().contains("the name says 00000000"), hash.getMessage());
            assertFalse(Files.exists(cache.resolve("bad").resolve(wrong)), "a file with the wrong hash is not kept");
            assertFalse(Files.exists(cache.resolve("bad").resolve(wrong + ".part")));
        } finally {
            server.stop(0);
        }
        TorchvisionWeights offline = new TorchvisionWeights(URI.create("http://127.0.0.1:9/models/"));
        IOException unreachable = assertThrows(IOException.class,
                () -> offline.fetch(TorchvisionWeights.Backbone.VGG19, dir.resolve("off"), b -> { }));
        assertTrue(unreachable.getMessage().contains("offline? Fetch vgg19-dcbb9e9d.pth on another machine and put it at "
                + dir.resolve("off").resolve("vgg19-dcbb9e9d.pth")), unreachable.getMessage());
    }

    @Test
    void autoNamesTheCachedFileOrSaysHowToGetIt(@TempDir Path dir) throws Exception {
        Path cache = TorchvisionWeights.cacheDir(Map.of("XDG_CACHE_HOME", dir.toString()));
        assertEquals(dir.resolve("baid4j"), cache);
        assertEquals(Path.of(System.getProperty("user.home"), ".cache", "baid4j"), TorchvisionWeights.cacheDir(Map.of()));
        assertEquals(Path.of("my.pth"), TorchvisionWeights.resolve("--vgg", "my.pth", TorchvisionWeights.Backbone.VGG19));
        Map<String, String> env = Map.of("XDG_CACHE_HOME", dir.toString());
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class,
                () -> TorchvisionWeights.resolve("--resnet", "auto", TorchvisionWeights.Backbone.RESNET50, env));
        assertEquals("--resnet auto: " + cache.resolve("resnet50-0676ba61.pth") + " is not there yet; run ./baid"
                + " fetch-weights resnet50, or put torchvision's resnet50-0676ba61.pth there", absent.getMessage());
        Files.createDirectories(cache);
        Files.writeString(cache.resolve("resnet50-0676ba61.pth"), "cached");
        assertEquals(cache.resolve("resnet50-0676ba61.pth"),
                TorchvisionWeights.resolve("--resnet", "auto", TorchvisionWeights.Backbone.RESNET50, env));
    }

    /**
     * A mirror that accepts and never answers, and one that stalls mid-body: both given up on after
     * the stall timeout with a line that says what happened; the stalled one's bytes are kept and a
     * rerun resumes them.
     */
    @Test
    void aMirrorThatStallsIsGivenUpOn(@TempDir Path dir) throws Exception {
        byte[] body = new byte[200_000];
        new Random(3).nextBytes(body);
        String name = "tiny-" + sha256(body).substring(0, 8) + ".pth";
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        AtomicInteger stalls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/silent/", ex -> {
            try {
                release.await();   // accepts, never answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.createContext("/stalls/", ex -> {
            try (ex) {
                String range = ex.getRequestHeaders().getFirst("Range");
                int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                if (from > 0) {
                    ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
                }
                ex.sendResponseHeaders(from > 0 ? 206 : 200, body.length - from);
                OutputStream out = ex.getResponseBody();
                if (stalls.incrementAndGet() == 1) {
                    out.write(body, 0, 50_000);
                    out.flush();
                    release.await();   // the rest never comes
                    return;
                }
                out.write(body, from, body.length - from);
                out.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            java.time.Duration stall = java.time.Duration.ofSeconds(2);
            long start = System.nanoTime();
            IOException silent = assertThrows(IOException.class, () -> new TorchvisionWeights(URI.create(base + "/silent/"), stall)
                    .fetch(name, dir.resolve("a"), b -> { }));
            assertTrue(silent.getMessage().contains("no answer in 2 s"), silent.getMessage());
            IOException stalled = assertThrows(IOException.class, () -> new TorchvisionWeights(URI.create(base + "/stalls/"), stall)
                    .fetch(name, dir.resolve("b"), b -> { }));
            assertTrue(stalled.getMessage().contains("stalled for 2 s after 50000 bytes") && stalled.getMessage().contains("run the same command again to resume"),
                    stalled.getMessage());
            assertTrue(System.nanoTime() - start < 20_000_000_000L, "given up on within the timeout, not minutes");
            Path resumed = new TorchvisionWeights(URI.create(base + "/stalls/"), stall).fetch(name, dir.resolve("b"), b -> { });
            assertArrayEquals(body, Files.readAllBytes(resumed));
        } finally {
            release.countDown();
            server.stop(0);
        }
    }

    /**
     * A part file as long as the file (the server answers a Range past the end with 416): a whole,
     * good part is put in place; a damaged one is named, removed and fetched again, not left to fail
     * every rerun.
     */
    @Test
    void aPartAsLongAsTheFileIsFinishedOrNamedAndFetchedAgain(@TempDir Path dir) throws Exception {
        byte[] body = new byte[100_000];
        new Random(5).nextBytes(body);
        String name = "tiny-" + sha256(body).substring(0, 8) + ".pth";
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            try (ex) {
                requests.incrementAndGet();
                String range = ex.getRequestHeaders().getFirst("Range");
                int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
                if (from >= body.length) {
                    ex.getResponseHeaders().add("Content-Range", "bytes */" + body.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            TorchvisionWeights source = new TorchvisionWeights(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
            Path whole = Files.createDirectories(dir.resolve("whole"));
            Files.write(whole.resolve(name + ".part"), body);
            assertArrayEquals(body, Files.readAllBytes(source.fetch(name, whole, b -> { })));
            assertFalse(Files.exists(whole.resolve(name + ".part")));

            Path damaged = Files.createDirectories(dir.resolve("damaged"));
            byte[] wrong = body.clone();
            wrong[10] ^= 1;
            Files.write(damaged.resolve(name + ".part"), java.util.Arrays.copyOf(wrong, body.length + 7));
            List<String> said = new java.util.ArrayList<>();
            Path fetched = source.fetch(name, damaged, b -> { }, said::add);
            assertArrayEquals(body, Files.readAllBytes(fetched));
            assertEquals(List.of(damaged.resolve(name + ".part") + ": as long as the file or longer, and not the published"
                    + " file; removed, fetching it again"), said);
        } finally {
            server.stop(0);
        }
    }

    /** The published name a link into a shared folder (dangling until fetched): the file lands there, the link stays. */
    @Test
    void aPublishedNameThatIsALinkIsFetchedWhereItPoints(@TempDir Path dir) throws Exception {
        byte[] body = new byte[50_000];
        new Random(9).nextBytes(body);
        String name = "tiny-" + sha256(body).substring(0, 8) + ".pth";
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.createContext("/", ex -> {
            try (ex) {
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
        try {
            Path shared = Files.createDirectories(dir.resolve("shared"));
            Path cache = Files.createDirectories(dir.resolve("cache"));
            Path link = Files.createSymbolicLink(cache.resolve(name), shared.resolve(name));
            Path got = new TorchvisionWeights(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .fetch(name, cache, b -> { });
            assertTrue(Files.isSymbolicLink(link));
            assertArrayEquals(body, Files.readAllBytes(shared.resolve(name)));
            assertArrayEquals(body, Files.readAllBytes(got));
        } finally {
            server.stop(0);
        }
    }

    /** The user's own file under the published name, in a folder given by --to: refused, never deleted. */
    @Test
    void aUsersFileUnderThePublishedNameIsKept(@TempDir Path dir) throws Exception {
        String name = "tiny-0123abcd.pth";
        Path mine = Files.writeString(dir.resolve(name), "my own weights");
        TorchvisionWeights source = new TorchvisionWeights(URI.create("http://127.0.0.1:9/"));
        IOException e = assertThrows(IOException.class, () -> source.fetch(name, dir, b -> { }));
        assertTrue(e.getMessage().startsWith(mine + ": there already, and not the published file (SHA-256 "), e.getMessage());
        assertTrue(e.getMessage().endsWith("move it away to fetch the published one"), e.getMessage());
        assertEquals("my own weights", Files.readString(mine));
    }

    /** /models/ok/NAME: the body; /models/cut/NAME: the first 100,000 bytes once, then what a Range asks for. */
    private static void serve(HttpExchange ex, byte[] body, AtomicInteger cutRequests,
                              java.util.concurrent.atomic.AtomicReference<String> lastRange) throws IOException {
        String path = ex.getRequestURI().getPath();
        try (ex) {
            if (path.startsWith("/models/cut/") && cutRequests.incrementAndGet() == 1) {
                ex.sendResponseHeaders(200, body.length);
                OutputStream out = ex.getResponseBody();
                out.write(body, 0, 100_000);
                out.flush();
                return;   // closed short of Content-Length
            }
            String range = ex.getRequestHeaders().getFirst("Range");
            lastRange.set(range);
            int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            if (from > 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            }
            ex.sendResponseHeaders(from > 0 ? 206 : 200, body.length - from);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body, from, body.length - from);
            }
        }
    }

    private static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }
}
