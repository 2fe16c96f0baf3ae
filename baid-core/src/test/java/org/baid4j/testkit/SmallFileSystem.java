package org.baid4j.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A small file system of the test's own (tmpfs, mounted where root may mount), to fill up: a
 * full disk as the operating system reports it (ENOSPC), not a simulation. Where mounting is not
 * permitted {@link #mount} is empty and the test says so; {@code OutputFileTest} then covers the
 * write layer's handling with a full device.
 */
public final class SmallFileSystem implements AutoCloseable {
    private final Path at;

    private SmallFileSystem(Path at) {
        this.at = at;
    }

    /** A tmpfs of {@code megabytes} at {@code at} (made), or empty where this process may not mount one. */
    public static Optional<SmallFileSystem> mount(Path at, int megabytes) throws IOException, InterruptedException {
        Files.createDirectories(at);
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", at.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0 ? Optional.of(new SmallFileSystem(at)) : Optional.empty();
    }

    public Path path() {
        return at;
    }

    /** Fills the file system with one file until about {@code leaveBytes} are free; remove the file to free them. */
    public Path fill(long leaveBytes) throws IOException {
        Path filler = at.resolve("filler");
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (Files.getFileStore(at).getUsableSpace() > leaveBytes + chunk.length) {
                out.write(chunk);
            }
        }
        return filler;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("umount", "-l", at.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor();
    }
}
