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
