package org.baid4j.cli;

import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** {@code baid score} as a user meets it: CSV on stdout only, one stderr line per bad file, exit codes. */
public class ScoreCommandTest {
    static final Path EXAMPLES = ReferencePython.REPO.resolve("examples").resolve("images");

    @Test
    void badFilesAreReportedLeftOutAndTheRestScored(@TempDir Path dir) throws Exception {
        Path art = Files.createDirectory(dir.resolve("art"));
        Files.copy(EXAMPLES.resolve("brushwork.png"), art.resolve("a-good.png"));
        Files.copy(EXAMPLES.resolve("sunset-strokes.jpg"), art.resolve("b-good.jpg"));
        byte[] jpeg = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
        Files.write(art.resolve("c-truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 3));
        Files.writeString(art.resolve("d-error-page.jpg"), "<html><body>Too many requests</body></html>");
        Files.writeString(art.resolve("notes.txt"), "not listed: not an image extension");
        String missing = dir.resolve("missing.jpg").toString();

        Cli.Run r = Cli.run("score", "--model", "untrained", "--input-size", "64", "--batch", "2", art.toString(), missing);

        assertEquals(Baid.SOME_INPUTS_FAILED, r.exit(), r.err());
        assertEquals(List.of("path,score"), r.csv().subList(0, 1));
        assertEquals(3, r.csv().size(), r.out());
        assertTrue(r.csv().get(1).startsWith(art.resolve("a-good.png") + ","), r.out());
        assertTrue(r.csv().get(2).matches(java.util.regex.Pattern.quote(art.resolve("b-good.jpg").toString())
                + ",\\d+\\.\\d{6}"), r.out());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(3, errors.size(), r.err());
        assertTrue(errors.get(0).contains("c-truncated.jpg") && errors.get(0).contains("truncated JPEG"), errors.get(0));
        assertTrue(errors.get(1).contains("d-error-page.jpg") && errors.get(1).contains("not an image"), errors.get(1));
        assertTrue(errors.get(2).contains("missing.jpg") && errors.get(2).contains("no such file"), errors.get(2));
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose");
    }

    @Test
    void linksThatDangleOrLoopGetTheirLine(@TempDir Path dir) throws Exception {
        Path art = Files.createDirectory(dir.resolve("art"));
        Files.copy(EXAMPLES.resolve("brushwork.png"), art.resolve("a-good.png"));
        Files.createSymbolicLink(art.resolve("b-gone.jpg"), dir.resolve("deleted.jpg"));
        Files.createSymbolicLink(art.resolve("c-loop.jpg"), art.resolve("d-loop.jpg"));
        Files.createSymbolicLink(art.resolve("d-loop.jpg"), art.resolve("c-loop.jpg"));
        Cli.Run r = Cli.run("score", "--model", "untrained", "--input-size", "64", art.toString());
        assertEquals(Baid.SOME_INPUTS_FAILED, r.exit(), r.err());
        assertEquals(2, r.csv().size(), r.out());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(3, errors.size(), r.err());
        assertTrue(errors.get(0).contains("b-gone.jpg: a link to nothing (" + dir.resolve("deleted.jpg")), errors.get(0));
        assertTrue(errors.get(1).contains("c-loop.jpg: cannot read") && errors.get(2).contains("d-loop.jpg: cannot read"),
                r.err());
    }

    /** The case: a run killed part-way leaves the previous --out file as it was, not an empty one. */
    @Tag("process")
    @Test
    void aKilledRunLeavesThePreviousOutputWhole(@TempDir Path dir) throws Exception {
        Path art = Files.createDirectory(dir.resolve("art"));
        for (int i = 0; i < 300; i++) {
            Files.copy(EXAMPLES.resolve("sunset-strokes.jpg"), art.resolve(String.format("%03d.jpg", i)));
        }
        Path csv = Files.writeString(dir.resolve("scores.csv"), "path,score\nold.jpg,5.000000\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", System.getProperty("java.class.path"), Baid.class.getName(), "score", "--model", "untrained",
                "--input-size", "64", "--batch", "1", "--threads", "1", "--out", csv.toString(), art.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (p.isAlive() && System.currentTimeMillis() < deadline && !scoring(dir)) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        assertTrue(p.isAlive(), "done before it could be killed:\n" + Files.readString(dir.resolve("child.log")));
        p.destroyForcibly();   // SIGKILL, part-way through the images
        assertTrue(p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals("path,score\nold.jpg,5.000000\n", Files.readString(csv), "the previous scores are intact");
    }

    private static boolean scoring(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(".scores.csv."));
        }
    }

    @Test
    void outWritesTheSameCsvToAFile(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("sub").resolve("scores.csv");
        Cli.Run toFile = Cli.run("score", "--model", "untrained", "--input-size", "64", "--out", csv.toString(),
                EXAMPLES.resolve("mosaic.bmp").toString(), EXAMPLES.resolve("poster-palette.png").toString());
        assertEquals(0, toFile.exit(), toFile.err());
        assertEquals("", toFile.out());
        Cli.Run toStdout = Cli.run("score", "--model", "untrained", "--input-size", "64",
                EXAMPLES.resolve("mosaic.bmp").toString(), EXAMPLES.resolve("poster-palette.png").toString());
        assertEquals(toStdout.out(), Files.readString(csv));
        assertEquals(3, Files.readAllLines(csv).size());
    }

    @Test
    void anUnusableModelFileIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path notModel = dir.resolve("model.pth");
        Files.writeString(notModel, "definitely not weights");
        Cli.Run r = Cli.run("score", "--model", notModel.toString(), EXAMPLES.resolve("mosaic.bmp").toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().lines().anyMatch(l -> l.startsWith("baid score: " + notModel)), r.err());
        assertFalse(r.err().contains("\tat "), r.err());

        Cli.Run verbose = Cli.run("score", "--verbose", "--model", notModel.toString(), EXAMPLES.resolve("mosaic.bmp").toString());
        assertTrue(verbose.err().contains("\tat "), "--verbose shows the stack trace");

        Path truncated = dir.resolve("cut.pth");
        byte[] fixture = Files.readAllBytes(ReferencePython.REPO.resolve(
                "weights-import/src/test/resources/fixtures/nonlocal.pt"));
        Files.write(truncated, Arrays.copyOf(fixture, fixture.length / 2));
        Cli.Run cut = Cli.run("score", "--model", truncated.toString(), EXAMPLES.resolve("mosaic.bmp").toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, cut.exit());
        assertTrue(cut.err().contains(truncated.toString()), cut.err());
    }

    @Test
    void impossibleOptionsAreRefusedBeforeAnyWork() {
        Cli.Run batch = Cli.run("score", "--model", "untrained", "--batch", "0", EXAMPLES.toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, batch.exit());
        assertTrue(batch.err().startsWith("baid score: --batch takes a whole number at least 1, got 0"), batch.err());
        Cli.Run size = Cli.run("score", "--model", "untrained", "--input-size", "100", EXAMPLES.toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, size.exit());
        assertTrue(size.err().contains("multiple of 32"), size.err());
        Cli.Run noModel = Cli.run("score", EXAMPLES.toString());
        assertEquals(Baid.USAGE_OR_FILE_ERROR, noModel.exit());
        assertTrue(noModel.err().contains("--model"), noModel.err());
    }
}
