package org.baid4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * baid serve as a user runs it, in a process of its own: it answers a POST of an example image
 * with baid score's score for that file, a bad request with its 4xx, and SIGTERM with a drain:
 * the request in flight answered, then exit 0.
 */
@Tag("process")
class ServeCommandTest {
    private static final Path EXAMPLES = ReferencePython.REPO.resolve("examples").resolve("images");

    @Test
    void servesBaidScoresScoresAndDrainsOnSigterm(@TempDir Path dir) throws Exception {
        Path image = EXAMPLES.resolve("harbour-progressive.jpg");
        Cli.Run scored = Cli.run("score", "--model", "untrained", "--input-size", "64", image.toString());
        assertEquals(0, scored.exit(), scored.err());
        double expected = Double.parseDouble(scored.csv().get(1).split(",")[1]);

        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), Baid.class.getName(), "serve", "--model", "untrained",
                "--input-size", "64", "--port", "0").redirectError(dir.resolve("stderr.log").toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
            String line = out.readLine();
            // In a reactor build the test kits are folders whose logback-test.xml makes Logback report on stdout.
            while (line != null && !line.startsWith("serving ")) {
                line = out.readLine();
            }
            assertNotNull(line, "the server said nothing: " + Files.readString(dir.resolve("stderr.log")));
            URI uri = URI.create(line.replaceAll(".* at (http://\\S+) .*", "$1"));
            assertEquals("127.0.0.1", uri.getHost(), line);

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> answer = post(http, uri, "image/jpeg", Files.readAllBytes(image));
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode body = new ObjectMapper().readTree(answer.body());
            assertEquals(expected, body.get("score").asDouble(), 5e-6, "baid score printed " + expected);
            HttpResponse<String> bad = post(http, uri, "image/jpeg", "<html>502 Bad Gateway</html>".getBytes());
            assertEquals(422, bad.statusCode(), bad.body());

            // A request sent just before SIGTERM is still answered (ScoringServerTest holds one in the
            // model while its server closes; here the signal's path to that close is what is checked).
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() ->
                    post(http, uri, "image/jpeg", readAll(EXAMPLES.resolve("tall-scroll.jpg"))));
            Thread.sleep(100);
            p.destroy();   // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "drained and stopped");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr.log")));
            assertEquals(200, inFlight.get(30, TimeUnit.SECONDS).statusCode());
            assertTrue(Files.readString(dir.resolve("stderr.log")).contains("draining"));
        } finally {
            p.destroyForcibly();
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI base, String type, byte[] body) {
        try {
            return http.send(HttpRequest.newBuilder(base.resolve("/score")).header("Content-Type", type)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
