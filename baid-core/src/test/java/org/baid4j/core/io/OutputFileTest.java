package org.baid4j.core.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Output files are replaced whole or not at all, get the usual mode, and never overwrite an input;
 * a link is written through (its target replaced whole, the link kept), a device or FIFO written
 * directly, never replaced by a regular file.
 */
class OutputFileTest {

    @Test
    void aWriteThatFailsLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("scores.csv");
        Files.writeString(target, "the old scores\n");
        IOException e = assertThrows(IOException.class, () -> OutputFile.write(target, tmp -> {
            Files.writeString(tmp, "half of the new ");
            throw new IOException("No space left on device");
        }));
        assertTrue(e instanceof OutOfSpaceException, e.toString());
        assertTrue(e.getMessage().startsWith(target + ": no space left on the file system "), e.getMessage());
        assertEquals("the old scores\n", Files.readString(target));
        assertEquals(List.of(target), list(dir), "no temporary file left");
    }

    @Test
    void aCommittedFileReplacesTheOldWholeWithTheUsualMode(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sub").resolve("report.md");
        OutputFile.writeString(target, "first");
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-rw----"));
        try (OutputFile out = OutputFile.create(target)) {
            try (var w = out.writer()) {
                w.write("second");
            }
            assertEquals("first", Files.readString(target), "readers see the old file until the commit");
            out.commit();
        }
        assertEquals("second", Files.readString(target));
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)),
                "a replaced file keeps its mode");
        assertEquals(List.of(target), list(target.getParent()));
    }

    @Test
    void anOutputThatIsAnInputIsRefused(@TempDir Path dir) throws Exception {
        Path image = Files.writeString(dir.resolve("a.jpg"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("b.jpg"), image);
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> OutputFile.refuseInput("--out", link, List.of(dir.resolve("c.jpg"), image)));
        assertTrue(same.getMessage().startsWith("--out " + link + " is one of the inputs"), same.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> OutputFile.refuseInput("--to", dir.resolve("x/../new.zip"), List.of(dir.resolve("new.zip"))));
        OutputFile.refuseInput("--out", dir.resolve("scores.csv"), List.of(image));   // not an input: fine
        assertThrows(IOException.class, () -> OutputFile.writeString(dir, "a folder"));
    }

    @Test
    void aLinkIsWrittenThroughItsTargetReplacedWholeInItsOwnFolder(@TempDir Path dir) throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Path target = Files.writeString(shared.resolve("scores.csv"), "old");
        Path mine = Files.createDirectories(dir.resolve("mine"));
        Path link = Files.createSymbolicLink(mine.resolve("scores.csv"), Path.of("../shared/scores.csv"));
        OutputFile.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link is kept");
        assertEquals("new", Files.readString(target));
        assertEquals(List.of(target), list(shared), "no temporary file left beside the target");
        assertEquals(List.of(link), list(mine));
        // A link to a link, and a dangling link: the file it names is made.
        Path chain = Files.createSymbolicLink(mine.resolve("chain.csv"), link);
        OutputFile.writeString(chain, "newer");
        assertEquals("newer", Files.readString(target));
        Path dangling = Files.createSymbolicLink(mine.resolve("later.csv"), shared.resolve("later.csv"));
        OutputFile.writeString(dangling, "made");
        assertTrue(Files.isSymbolicLink(dangling));
        assertEquals("made", Files.readString(shared.resolve("later.csv")));
        // The refusal of outputs that are inputs sees through links, dangling ones too.
        assertThrows(IllegalArgumentException.class, () -> OutputFile.refuseInput("--out", chain, List.of(target)));
        Path loop = Files.createSymbolicLink(mine.resolve("loop"), mine.resolve("loop"));
        IOException e = assertThrows(IOException.class, () -> OutputFile.writeString(loop, "x"));
        assertTrue(e.getMessage().contains("symbolic links deep"), e.getMessage());
    }

    @Test
    void aFifoGetsTheWholeContentAndStaysAFifo(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        java.util.concurrent.CompletableFuture<byte[]> reader = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] content = new byte[3 << 20];   // past a pipe's buffer
        new java.util.Random(1).nextBytes(content);
        OutputFile.write(fifo, content);
        assertArrayEquals(content, reader.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(Files.isRegularFile(fifo), "still a FIFO");
        assertEquals(List.of(fifo), list(dir), "no temporary file beside it");
        // A finished download put in place the same way.
        java.util.concurrent.CompletableFuture<byte[]> second = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path part = Files.write(dir.resolve("pipe.part"), content);
        OutputFile.moveInto(part, fifo);
        assertArrayEquals(content, second.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertFalse(Files.exists(part));
    }

    /**
     * Character devices made by the test (root may make them; where mknod is not permitted, the
     * FIFO and link tests above cover the mechanism and this one says so and stops).
     */
    @Test
    void aDeviceIsWrittenDirectlyAndAWriteErrorIsAnError(@TempDir Path dir) throws Exception {
        Path nul = dir.resolve("null");
        Path full = dir.resolve("full");
        boolean made = mknod(nul, 3) && mknod(full, 7);
        org.junit.jupiter.api.Assumptions.assumeTrue(made, "mknod is not permitted here: devices untested, FIFOs and links are");
        OutputFile.writeString(nul, "scores");
        IOException e = assertThrows(IOException.class, () -> OutputFile.writeString(full, "scores"));
        assertTrue(e.getMessage().startsWith(full + ": ") && e.getMessage().contains("No space left on device"), e.getMessage());
        Path link = Files.createSymbolicLink(dir.resolve("to-full"), full);
        assertThrows(IOException.class, () -> OutputFile.writeString(link, "scores"));
        for (Path device : List.of(nul, full)) {
            assertEquals("character special file", kind(device), device + " is still a device");
        }
        assertEquals(List.of(full, nul, link), list(dir), "no temporary file left");
    }

    private static boolean mknod(Path path, int minor) throws Exception {
        Process p = new ProcessBuilder("mknod", path.toString(), "c", "1", Integer.toString(minor))
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static String kind(Path path) throws Exception {
        ProcessBuilder stat = new ProcessBuilder("stat", "-c", "%F", path.toString());
        stat.environment().put("LC_ALL", "C");
        Process p = stat.start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        return out;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
