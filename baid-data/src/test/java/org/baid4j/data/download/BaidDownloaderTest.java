package org.baid4j.data.download;

import org.baid4j.core.io.FolderLock;
import org.baid4j.data.ImageDecoder;
import org.baid4j.data.TinyBaid;
import org.baid4j.data.baid.BaidLabels.ImageLink;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The downloader against a real HTTP server on 127.0.0.1 that injects faults; then killed and resumed. */
class BaidDownloaderTest {
    static final DownloadOptions FAST = DownloadOptions.defaults().withThreads(4).withRetries(3)
            .withTimeout(Duration.ofMillis(700)).withProxy(Proxy.NO_PROXY)
            .withBackoff(Duration.ofMillis(5), Duration.ofMillis(40));

    static byte[] image() throws Exception {
        return Files.readAllBytes(TinyBaid.EXAMPLES.resolve("sunset-strokes.jpg"));
    }

    @Test
    void survivesFaultsAndRecordsWhatFailed(@TempDir Path dir) throws Exception {
        try (FaultyImageServer server = new FaultyImageServer(image(), 2000, 0)) {
            List<ImageLink> links = new ArrayList<>();
            String[] good = {"ok", "flaky500", "drop", "stall", "truncated"};
            String[] bad = {"html", "missing", "down"};
            for (String fault : good) {
                links.add(new ImageLink(server.url(fault, fault + ".jpg"), fault + ".jpg"));
            }
            for (String fault : bad) {
                links.add(new ImageLink(server.url(fault, fault + ".jpg"), fault + ".jpg"));
            }
            Path images = dir.resolve("images");
            DownloadSummary summary = new BaidDownloader(FAST, new BaidDownloader.Listener() { }).download(links, images);

            assertEquals(5, summary.downloaded(), summary.toString());
            assertEquals(0, summary.alreadyPresent());
            assertEquals(List.of("down.jpg", "html.jpg", "missing.jpg"),
                    summary.failed().stream().map(DownloadSummary.Failure::image).toList());
            Map<String, String> reasons = new java.util.HashMap<>();
            summary.failed().forEach(f -> reasons.put(f.image(), f.reason()));
            assertTrue(reasons.get("html.jpg").contains("not an image") && reasons.get("html.jpg").contains("HTML"),
                    reasons.get("html.jpg"));
            assertEquals("HTTP 404 (not retried)", reasons.get("missing.jpg"));
            assertEquals("HTTP 503", reasons.get("down.jpg"));
            assertEquals(1, server.requests("missing", "missing.jpg"), "4xx is not retried");
            assertEquals(4, server.requests("down", "down.jpg"), "one attempt and three retries");
            assertEquals(3, server.requests("flaky500", "flaky500.jpg"));
            assertEquals(2, server.requests("stall", "stall.jpg"), "a stalled body times out and is retried");

            byte[] expected = image();
            for (String fault : good) {
                assertArrayEquals(expected, Files.readAllBytes(images.resolve(fault + ".jpg")), fault);
            }
            for (String fault : bad) {
                assertFalse(Files.exists(images.resolve(fault + ".jpg")), fault);
            }
            try (Stream<Path> files = Files.list(images)) {
                assertEquals(5, files.count(), "no temporary files left, and no lock among the images");
            }
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(images.resolve("ok.jpg"))),
                    "a downloaded image has the usual mode");

            Path failedCsv = dir.resolve("failed.csv");
            summary.writeFailedCsv(failedCsv);
            List<String> rows = Files.readAllLines(failedCsv);
            assertEquals("image,url,reason", rows.get(0));
            assertEquals(4, rows.size());
            assertTrue(rows.get(3).startsWith("missing.jpg," + server.url("missing", "missing.jpg") + ",HTTP 404"));

            // Again: what is there is skipped, what failed is tried again.
            DownloadSummary again = new BaidDownloader(FAST, new BaidDownloader.Listener() { }).download(links, images);
            assertEquals(5, again.alreadyPresent());
            assertEquals(0, again.downloaded());
            assertEquals(3, again.failed().size());
            assertEquals(1, server.requests("ok", "ok.jpg"), "a present image is not fetched again");
        }
    }

    /**
     * Whatever one address answers, that image fails with its reason and the rest go on: a redirect
     * to another scheme, a body far past the size limit (streamed, never held: the endless body
     * would exhaust this JVM's heap), a Content-Length past it (refused before reading).
     */
    @Test
    void aServersAnswerNeverStopsTheRun(@TempDir Path dir) throws Exception {
        try (FaultyImageServer server = new FaultyImageServer(image(), 0, 0)) {
            List<ImageLink> links = List.of(new ImageLink(server.url("toftp", "a.jpg"), "a.jpg"),
                    new ImageLink(server.url("huge", "b.jpg"), "b.jpg"),
                    new ImageLink(server.url("declaredhuge", "c.jpg"), "c.jpg"),
                    new ImageLink(server.url("ok", "d.jpg"), "d.jpg"),
                    new ImageLink("gopher://127.0.0.1/e.jpg", "e.jpg"));
            Path images = dir.resolve("images");
            DownloadOptions limited = FAST.withMaxBytes(4L << 20);
            DownloadSummary summary = new BaidDownloader(limited, new BaidDownloader.Listener() { }).download(links, images);
            assertEquals(1, summary.downloaded(), summary.toString());
            Map<String, String> reasons = new java.util.HashMap<>();
            summary.failed().forEach(f -> reasons.put(f.image(), f.reason()));
            assertTrue(reasons.get("a.jpg").contains("redirected to an address that is not HTTP(S): ftp://"),
                    reasons.get("a.jpg"));
            assertTrue(reasons.get("b.jpg").contains("too large (more than 4194304 bytes")
                    && reasons.get("b.jpg").contains("--max-bytes"), reasons.get("b.jpg"));
            assertTrue(reasons.get("c.jpg").contains("too large (10737418240 bytes"), reasons.get("c.jpg"));
            assertTrue(reasons.get("e.jpg").contains("gopher"), reasons.get("e.jpg"));
            assertEquals(1, server.requests("huge", "b.jpg"), "too large is final, not retried");
            assertArrayEquals(image(), Files.readAllBytes(images.resolve("d.jpg")));
            Path failedCsv = dir.resolve("failed.csv");
            summary.writeFailedCsv(failedCsv);
            assertEquals(5, Files.readAllLines(failedCsv).size(), "a header and the four failures");
        }
    }

    /** A second download into the same folder is refused while the first runs; the first goes on. */
    @Test
    void oneDownloadPerFolder(@TempDir Path dir) throws Exception {
        try (FaultyImageServer server = new FaultyImageServer(image(), 0, 1500)) {
            Path images = dir.resolve("images");
            List<ImageLink> links = List.of(new ImageLink(server.url("slow", "a.jpg"), "a.jpg"));
            var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new BaidDownloader(FAST.withTimeout(Duration.ofSeconds(20)), new BaidDownloader.Listener() { })
                            .download(links, images);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.currentTimeMillis() + 10_000;
            while (server.requests("slow", "a.jpg") == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            FolderLock.FolderInUseException busy = assertThrows(FolderLock.FolderInUseException.class,
                    () -> new BaidDownloader(FAST, new BaidDownloader.Listener() { }).download(links, images));
            assertTrue(busy.getMessage().contains(images.toString()) && busy.getMessage().contains("in use"),
                    busy.getMessage());
            assertEquals(1, first.get().downloaded(), "the first download was not disturbed");
        }
    }

    @Test
    void aBrokenFileUnderAnImagesNameIsFetchedAgain(@TempDir Path dir) throws Exception {
        try (FaultyImageServer server = new FaultyImageServer(image(), 0, 0)) {
            Path images = Files.createDirectories(dir.resolve("images"));
            byte[] img = image();
            Files.write(images.resolve("a.jpg"), java.util.Arrays.copyOf(img, img.length / 2));
            Files.writeString(images.resolve(".b.jpg.123.part"), "left by a killed run");
            DownloadSummary s = new BaidDownloader(FAST, new BaidDownloader.Listener() { })
                    .download(List.of(new ImageLink(server.url("ok", "a.jpg"), "a.jpg")), images);
            assertEquals(1, s.downloaded());
            assertArrayEquals(img, Files.readAllBytes(images.resolve("a.jpg")));
            assertFalse(Files.exists(images.resolve(".b.jpg.123.part")));
        }
    }

    /** An images folder that is a link to another disk: the images land there, the link stays, no lock among them. */
    @Test
    void imagesGoThroughALinkedFolder(@TempDir Path dir) throws Exception {
        try (FaultyImageServer server = new FaultyImageServer(image(), 0, 0)) {
            Path elsewhere = Files.createDirectories(dir.resolve("big-disk").resolve("baid-images"));
            Path root = Files.createDirectories(dir.resolve("baid"));
            Path images = Files.createSymbolicLink(root.resolve("images"), elsewhere);
            DownloadSummary s = new BaidDownloader(FAST, new BaidDownloader.Listener() { })
                    .download(List.of(new ImageLink(server.url("ok", "a.jpg"), "a.jpg")), images);
            assertEquals(1, s.downloaded());
            assertTrue(Files.isSymbolicLink(images));
            assertArrayEquals(image(), Files.readAllBytes(elsewhere.resolve("a.jpg")));
            try (Stream<Path> files = Files.list(elsewhere)) {
                assertEquals(List.of(elsewhere.resolve("a.jpg")), files.toList());
            }
            assertFalse(Files.exists(BaidDownloader.lockFile(images)), "the lock went with the download");
        }
    }

    @Test
    void goesThroughTheProxyItIsGiven(@TempDir Path dir) throws Exception {
        // The "proxy" is the test server: a request for a host that does not exist reaches it only
        // through the proxy (the absolute URI is sent to the proxy, which serves it).
        try (FaultyImageServer proxy = new FaultyImageServer(image(), 0, 0)) {
            DownloadOptions viaProxy = FAST.withProxy(Proxies.parse("http://127.0.0.1:" + proxy.port()));
            DownloadSummary s = new BaidDownloader(viaProxy, new BaidDownloader.Listener() { })
                    .download(List.of(new ImageLink("http://baid-images.invalid/ok/p.jpg", "p.jpg")), dir);
            assertEquals(1, s.downloaded(), s.toString());
            assertEquals(1, proxy.requests("ok", "p.jpg"));
        }
    }

    @Test
    void aProxyIsAUrlOrRefused() {
        assertEquals(new java.net.InetSocketAddress("h", 3128).getHostString(),
                ((java.net.InetSocketAddress) Proxies.parse("HTTP://h:3128").address()).getHostString(),
                "schemes are case-insensitive");
        for (String bad : new String[]{"http://h:1/path", "ftp://h:21", "http://:8080", "not a url"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Proxies.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("proxy '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void environmentProxySettingsAreRead() {
        Map<String, String> env = Map.of("HTTPS_PROXY", "http://proxy.example:3128", "NO_PROXY", "localhost,.internal");
        Proxy p = Proxies.fromEnvironment(env, "https");
        assertEquals("proxy.example:3128", p.address().toString().replace("/<unresolved>", ""));
        assertEquals(Proxy.NO_PROXY, Proxies.fromEnvironment(env, "http"));
        assertTrue(Proxies.bypassed(env, "images.internal"));
        assertTrue(Proxies.bypassed(env, "localhost"));
        assertFalse(Proxies.bypassed(env, "image-cloud.example.com"));
        assertThrows(IllegalArgumentException.class, () -> Proxies.parse("socks5://h:1"));
    }

    @Test
    void backoffGrowsWithJitterUnderItsCap() {
        BaidDownloader d = new BaidDownloader(FAST.withBackoff(Duration.ofMillis(100), Duration.ofMillis(1000)),
                new BaidDownloader.Listener() { });
        for (int i = 0; i < 200; i++) {
            assertTrue(d.backoffMillis(1) <= 100);
            assertTrue(d.backoffMillis(3) <= 400);
            assertTrue(d.backoffMillis(10) <= 1000);
        }
        long sum = 0;
        for (int i = 0; i < 200; i++) {
            sum += d.backoffMillis(4);
        }
        assertTrue(sum / 200 > 200 && sum / 200 < 600, "mean of uniform [0, 800]: " + sum / 200);
    }

    @Tag("process")
    @Test
    void aKilledRunResumesToEveryImagePresentAndValid(@TempDir Path dir) throws Exception {
        int count = 40;
        try (FaultyImageServer server = new FaultyImageServer(image(), 0, 150)) {
            Path list = dir.resolve("image_list.csv");
            StringBuilder csv = new StringBuilder("image_link,image_name\n");
            List<ImageLink> links = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String name = i + ".jpg";
                csv.append(server.url("slow", name)).append(',').append(name).append('\n');
                links.add(new ImageLink(server.url("slow", name), name));
            }
            Files.writeString(list, csv);
            Path images = dir.resolve("images");

            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), DownloadProcess.class.getName(),
                    list.toString(), images.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("child.log").toFile()).start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (countImages(images) < 5 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            p.destroyForcibly();   // SIGKILL: no shutdown hooks, no cleanup
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            int before = countImages(images);
            assertTrue(before >= 5 && before < count, "killed part-way: " + before + " images\n"
                    + Files.readString(dir.resolve("child.log")));
            try (Stream<Path> files = Files.list(images)) {
                for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                    ImageDecoder.decode(f);   // whatever has an image's name is complete
                }
            }

            DownloadSummary resumed = new BaidDownloader(FAST, new BaidDownloader.Listener() { }).download(links, images);
            assertTrue(resumed.failed().isEmpty(), resumed.failed().toString());
            assertEquals(count, resumed.downloaded() + resumed.alreadyPresent());
            assertTrue(resumed.alreadyPresent() >= before);
            byte[] expected = image();
            for (ImageLink l : links) {
                assertArrayEquals(expected, Files.readAllBytes(images.resolve(l.image())), l.image());
            }
            try (Stream<Path> files = Files.list(images)) {
                assertEquals(count, files.count(), "only the images: no leftovers, no lock file");
            }
        }
    }

    private static int countImages(Path images) throws Exception {
        if (!Files.isDirectory(images)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(images)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".jpg")
                    && !f.getFileName().toString().startsWith(".")).count();
        }
    }
}
