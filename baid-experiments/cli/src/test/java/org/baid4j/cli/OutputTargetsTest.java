package org.baid4j.cli;

import org.baid4j.core.io.FolderLock;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.data.TinyBaid;
import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Outputs that are not regular files, command by command: a symbolic link is written through (its
 * target replaced whole, the link kept), a FIFO gets the whole output, a device is written and
 * stays a device (a full one is an error); a folder of another kind is never taken over.
 */
class OutputTargetsTest {
    private static final Path EXAMPLES = TinyBaid.EXAMPLES;

    @Test
    void scoresGoThroughALinkIntoAFifoAndIntoDevices(@TempDir Path dir) throws Exception {
        Path image = EXAMPLES.resolve("mosaic.bmp");
        // A link into a shared folder: the shared file is replaced, the link kept.
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path target = Files.writeString(shared.resolve("scores.csv"), "stale");
        Path link = Files.createSymbolicLink(dir.resolve("scores.csv"), target);
        Cli.Run viaLink = Cli.run("score", "--model", "untrained", "--input-size", "64", "--out", link.toString(), image.toString());
        assertEquals(0, viaLink.exit(), viaLink.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(target).startsWith("path,score\n" + image + ","), Files.readString(target));
        try (Stream<Path> files = Files.list(shared)) {
            assertEquals(List.of(target), files.toList(), "no temporary file left in the link's folder");
        }

        // A FIFO with a reader: the reader gets the whole CSV, the FIFO stays.
        Path fifo = mkfifo(dir.resolve("scores.fifo"));
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> read(fifo));
        Cli.Run viaFifo = Cli.run("score", "--model", "untrained", "--input-size", "64", "--out", fifo.toString(), image.toString());
        assertEquals(0, viaFifo.exit(), viaFifo.err());
        assertTrue(reader.get(60, TimeUnit.SECONDS).startsWith("path,score\n" + image + ","));
        assertFalse(Files.isRegularFile(fifo), "still a FIFO");

        // Devices where mknod is permitted (root): /dev/null's kind takes it; /dev/full's fails, named.
        Path nul = dir.resolve("null");
        Path full = dir.resolve("full");
        Assumptions.assumeTrue(mknod(nul, 3) && mknod(full, 7),
                "mknod is not permitted here: devices untested (links and FIFOs are, above)");
        Cli.Run intoNull = Cli.run("score", "--model", "untrained", "--input-size", "64", "--out", nul.toString(), image.toString());
        assertEquals(0, intoNull.exit(), intoNull.err());
        Cli.Run intoFull = Cli.run("score", "--model", "untrained", "--input-size", "64", "--out", full.toString(), image.toString());
        assertEquals(2, intoFull.exit(), intoFull.err());
        assertTrue(intoFull.err().contains(full + ": No space left on device"), intoFull.err());
        for (Path device : List.of(nul, full)) {
            assertFalse(Files.isRegularFile(device) || Files.isDirectory(device), device + " is still a device");
        }
    }

    @Test
    void aModelFileGoesThroughALinkAndIntoAFifo(@TempDir Path dir) throws Exception {
        // A randomised SAAN in torch.save's format (tools/pytorch/make_saan_fixture.py, cached per build).
        ReferencePython.run("make_saan_fixture.py", dir.resolve("fixture").toString(),
                ReferencePython.REPO.resolve("examples").resolve("images").toString());
        Path pth = dir.resolve("fixture").resolve("saan-random.pth");
        Path shared = Files.createDirectories(dir.resolve("models"));
        Path link = Files.createSymbolicLink(dir.resolve("saan.zip"), shared.resolve("saan.zip"));   // dangling: made
        Cli.Run imported = Cli.run("import-weights", "--from", pth.toString(), "--to", link.toString(), "--input-size", "64");
        assertEquals(0, imported.exit(), imported.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.size(shared.resolve("saan.zip")) > 1_000_000, "the model file is where the link points");

        Path fifo = mkfifo(dir.resolve("saan.fifo"));
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Cli.Run intoFifo = Cli.run("import-weights", "--from", pth.toString(), "--to", fifo.toString(), "--input-size", "64");
        assertEquals(0, intoFifo.exit(), intoFifo.err());
        byte[] came = reader.get(120, TimeUnit.SECONDS);
        assertTrue(came.length > 1_000_000 && came[0] == 'P' && came[1] == 'K', "a whole model file came through the FIFO");
        assertFalse(Files.isRegularFile(fifo), "still a FIFO");
    }

    @Test
    void degradedImagesGoIntoAFolderBehindALink(@TempDir Path dir) throws Exception {
        Path real = Files.createDirectories(dir.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(dir.resolve("out"), real);
        Cli.Run r = Cli.run("degrade", EXAMPLES.resolve("mosaic.bmp").toString(), "--ops", "3", "--out", link.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.isRegularFile(real.resolve("mosaic").resolve("03.png")));
    }

    /** A folder of one kind is never the output of another command; nothing in it changes. */
    @Test
    void aFolderOfAnotherKindIsRefusedAsTheOutput(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("config.json"), "{\"data\": {}, \"model\": {}}");
        Files.writeString(run.resolve("report.md"), "the run's report");
        Path sweep = Files.createDirectories(dir.resolve("sweep"));
        Files.writeString(sweep.resolve("sweep.json"), "{}");
        Path pretraining = Files.createDirectories(dir.resolve("pretraining"));
        Files.writeString(pretraining.resolve("config.json"), "{\"data\": {}, \"losses\": {}}");

        Cli.Run search = Cli.run("search", "--root", root.toString(), "--out", run.toString(), "--random-backbones");
        assertEquals(2, search.exit(), search.err());
        assertTrue(search.err().startsWith("baid search: --out " + run + " holds a training run (config.json), not a sweep:"
                + " give a new folder"), search.err());
        assertEquals("the run's report", Files.readString(run.resolve("report.md")));

        Cli.Run pretrain = Cli.run("pretrain", "--root", root.toString(), "--out", sweep.toString(), "--input-size", "64");
        assertEquals(2, pretrain.exit(), pretrain.err());
        assertTrue(pretrain.err().contains("--out " + sweep + " holds a sweep (sweep.json), not a pretraining run"), pretrain.err());

        Cli.Run train = Cli.run("train", "--root", root.toString(), "--out", pretraining.toString(), "--random-backbones",
                "--input-size", "64");
        assertEquals(2, train.exit(), train.err());
        assertTrue(train.err().contains("holds a pretraining run (config.json), not a training run"), train.err());

        Path model = dir.resolve("m.zip");
        SaanModel.create(SaanConfig.reference().withInputSize(64)).save(model.toFile(), false);
        Cli.Run evaluate = Cli.run("evaluate", "--model", model.toString(), "--root", root.toString(), "--out", run.toString());
        assertEquals(2, evaluate.exit(), evaluate.err());
        assertTrue(evaluate.err().contains("holds a training run (config.json), not an evaluation"), evaluate.err());
        assertEquals("the run's report", Files.readString(run.resolve("report.md")));

        // An existing file named as a folder: named, not "baid search: afile".
        Path afile = Files.writeString(dir.resolve("afile"), "mine");
        Cli.Run onFile = Cli.run("search", "--root", root.toString(), "--out", afile.toString(), "--random-backbones");
        assertEquals(2, onFile.exit());
        assertTrue(onFile.err().startsWith("baid search: --out " + afile + ": a file, where a sweep's folder would go"),
                onFile.err());

        // Two evaluations into one folder: the second is refused while the first writes.
        Path evaluation = dir.resolve("evaluation");
        try (FolderLock first = FolderLock.acquire(evaluation)) {
            Cli.Run second = Cli.run("evaluate", "--model", model.toString(), "--root", root.toString(), "--out",
                    evaluation.toString());
            assertEquals(2, second.exit(), second.err());
            assertTrue(second.err().contains(evaluation + ": in use by"), second.err());
        }
        // A folder that cannot take the results: refused before the work.
        Cli.Run unwritable = Cli.run("evaluate", "--model", model.toString(), "--root", root.toString(), "--out",
                afile.resolve("sub").toString());
        assertEquals(2, unwritable.exit(), unwritable.err());
        assertTrue(unwritable.err().contains("--out " + afile.resolve("sub") + ": cannot write there"), unwritable.err());
        assertFalse(unwritable.err().contains("evaluating"), "refused before any image was read");
    }

    static Path mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).start();
        assertEquals(0, p.waitFor());
        return path;
    }

    static boolean mknod(Path path, int minor) throws Exception {
        Process p = new ProcessBuilder("mknod", path.toString(), "c", "1", Integer.toString(minor)).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static String read(Path fifo) {
        try {
            return Files.readString(fifo, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
