package org.baid4j.core.io;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;
import java.util.Set;

/**
 * The one way baid4j writes a file: into a hidden temporary file beside the target, flushed to
 * disk, then renamed over it. Readers and a killed process see the old file or the new one, whole,
 * never a part; a write error (a full disk) is an exception, never a silently short file. The new
 * file gets the old one's permissions, or the usual rw-r--r-- (a temporary file starts as rw-------).
 */
public final class OutputFile implements Closeable {
    /** Fills the temporary file that becomes the target. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    private static final Set<PosixFilePermission> USUAL = PosixFilePermissions.fromString("rw-r--r--");

    private final Path target;
    private Path temporary;

    private OutputFile(Path target, Path temporary) {
        this.target = target;
        this.temporary = temporary;
    }

    /** A temporary file beside {@code target} (its folder created), to fill and then {@link #commit}. */
    public static OutputFile create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (Files.isDirectory(absolute)) {
            throw new IOException(target + ": is a folder, not a file");
        }
        Files.createDirectories(dir);
        return new OutputFile(absolute, Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp"));
    }

    /** Writes {@code target} whole through {@code content}, or leaves it as it was. */
    public static void write(Path target, Content content) throws IOException {
        try (OutputFile out = create(target)) {
            content.writeTo(out.temporary());
            out.commit();
        }
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, tmp -> Files.write(tmp, bytes));
    }

    public static void writeString(Path target, CharSequence text) throws IOException {
        write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /** The file being filled. */
    public Path temporary() {
        if (temporary == null) {
            throw new IllegalStateException(target + ": already committed");
        }
        return temporary;
    }

    /** A writer into the temporary file; closing it does not commit. */
    public BufferedWriter writer() throws IOException {
        return Files.newBufferedWriter(temporary(), StandardCharsets.UTF_8);
    }

    /** Flushes the temporary file to disk and renames it over the target. */
    public void commit() throws IOException {
        Path tmp = temporary();
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        setPermissions(tmp);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        temporary = null;
    }

    /** Removes the temporary file unless it was committed. */
    @Override
    public void close() {
        if (temporary != null) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                throw new UncheckedIOException(temporary + ": could not remove the unfinished file", e);
            }
            temporary = null;
        }
    }

    private void setPermissions(Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(Files.exists(target) ? Files.getPosixFilePermissions(target, LinkOption.NOFOLLOW_LINKS) : USUAL);
        }
    }

    /** Gives a file made as a temporary one (rw-------) the usual rw-r--r--, where the file system has modes. */
    public static void setUsualMode(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) {
            view.setPermissions(USUAL);
        }
    }

    /**
     * Refuses an output that is one of the command's inputs, before any work: a model file
     * overwriting the checkpoint it is imported from, a CSV overwriting an image being scored.
     */
    public static void refuseInput(String option, Path output, Collection<Path> inputs) throws IOException {
        for (Path input : inputs) {
            if (sameFile(output, input)) {
                throw new IllegalArgumentException(option + " " + output + " is one of the inputs (" + input
                        + "): give another file");
            }
        }
    }

    /** The same file, whether or not either exists yet (links followed where they exist). */
    public static boolean sameFile(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
