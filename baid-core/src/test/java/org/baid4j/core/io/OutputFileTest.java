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

/** Output files are replaced whole or not at all, get the usual mode, and never overwrite an input. */
class OutputFileTest {

    @Test
    void aWriteThatFailsLeavesTheOldFileAndNoTemporary(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("scores.csv");
        Files.writeString(target, "the old scores\n");
        IOException e = assertThrows(IOException.class, () -> OutputFile.write(target, tmp -> {
            Files.writeString(tmp, "half of the new ");
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
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

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
