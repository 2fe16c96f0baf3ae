package org.baid4j.data.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 serving one image's bytes under paths that choose a fault:
 * {@code /ok/}, {@code /flaky500/} (two 500s, then the image), {@code /drop/} (the connection closed
 * half-way through the body once), {@code /stall/} (the body stops for longer than the client's
 * timeout once), {@code /truncated/} (fewer bytes than Content-Length once), {@code /html/} (200 with
 * an HTML page, always), {@code /missing/} (404), {@code /down/} (503, always), {@code /slow/} (the
 * image after a delay), {@code /toftp/} (a redirect to an ftp:// address), {@code /huge/} (an endless
 * body without Content-Length), {@code /declaredhuge/} (a Content-Length of 10 GB). It counts requests per path. Every request stays on the loopback address.
 */
public final class FaultyImageServer implements AutoCloseable {
    private final HttpServer server;
    private final byte[] image;
    private final long stallMillis;
    private final long slowMillis;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    public FaultyImageServer(byte[] image, long stallMillis, long slowMillis) throws IOException {
        this.image = image;
        this.stallMillis = stallMillis;
        this.slowMillis = slowMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "faulty-server");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String fault, String name) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + fault + "/" + name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public int requests(String fault, String name) {
        AtomicInteger n = requests.get("/" + fault + "/" + name);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        int n = requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
        String fault = path.split("/")[1];
        try {
            switch (fault) {
                case "ok":
                    send(ex, 200, image);
                    break;
                case "slow":
                    Thread.sleep(slowMillis);
                    send(ex, 200, image);
                    break;
                case "flaky500":
                    if (n <= 2) {
                        send(ex, 500, "boom".getBytes(StandardCharsets.UTF_8));
                    } else {
                        send(ex, 200, image);
                    }
                    break;
                case "drop":
                case "truncated":
                    if (n == 1) {
                        ex.sendResponseHeaders(200, image.length);
                        OutputStream out = ex.getResponseBody();
                        out.write(image, 0, image.length / 2);
                        out.flush();
                        ex.close();   // the rest never comes
                    } else {
                        send(ex, 200, image);
                    }
                    break;
                case "stall":
                    if (n == 1) {
                        ex.sendResponseHeaders(200, image.length);
                        OutputStream out = ex.getResponseBody();
                        out.write(image, 0, 1000);
                        out.flush();
                        Thread.sleep(stallMillis);
                        ex.close();
                    } else {
                        send(ex, 200, image);
                    }
                    break;
                case "html":
                    send(ex, 200, "<!DOCTYPE html><html><body>Rate limited, try later</body></html>"
                            .getBytes(StandardCharsets.UTF_8));
                    break;
                case "toftp":
                    ex.getResponseHeaders().add("Location", "FTP://127.0.0.1/" + path);
                    ex.sendResponseHeaders(302, -1);
                    break;
                case "huge":
                    ex.sendResponseHeaders(200, 0);   // chunked: no length given
                    try (OutputStream out = ex.getResponseBody()) {
                        byte[] chunk = new byte[1 << 16];
                        System.arraycopy(image, 0, chunk, 0, Math.min(image.length, chunk.length));
                        for (long sent = 0; sent < (4L << 30); sent += chunk.length) {
                            out.write(chunk);   // until the client hangs up
                        }
                    }
                    break;
                case "declaredhuge":
                    ex.sendResponseHeaders(200, 10L << 30);
                    try (OutputStream out = ex.getResponseBody()) {
                        out.write(image);
                    }
                    break;
                case "missing":
                    send(ex, 404, "not found".getBytes(StandardCharsets.UTF_8));
                    break;
                case "down":
                    send(ex, 503, "unavailable".getBytes(StandardCharsets.UTF_8));
                    break;
                default:
                    send(ex, 400, "unknown fault".getBytes(StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (it timed out): nothing to do
        } finally {
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
