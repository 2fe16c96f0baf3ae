package org.baid4j.core.io;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
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
 *
 * <p>What the target is decides where the bytes go, as GNU tools do ({@code sort -o}, {@code tee}):
 * a symbolic link is followed, and its final target gets the whole-or-absent treatment in that
 * target's folder, the link kept; a device, FIFO or socket is written directly once the content is
 * complete (whole-or-absent is not possible there; a write error is still an error), never
 * replaced by a regular file.
 */
public final class OutputFile implements Closeable {
    /** Fills the temporary file that becomes the target. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    private static final Set<PosixFilePermission> USUAL = PosixFilePermissions.fromString("rw-r--r--");

    private static final int MAX_LINKS = 40;

    private final Path target;
    /** Not a regular file: the content goes to it by a copy when complete. */
    private final boolean special;
    private Path temporary;

    private OutputFile(Path target, Path temporary, boolean special) {
        this.target = target;
        this.temporary = temporary;
        this.special = special;
    }

    /**
     * A temporary file to fill and then {@link #commit}: beside {@code target}'s final target (its
     * folder created), or, for a device, FIFO or socket, in the system's temporary folder.
     */
    public static OutputFile create(Path target) throws IOException {
        Path resolved = throughLinks(target);
        if (Files.isDirectory(resolved)) {
            throw new IOException(target + ": is a folder, not a file");
        }
        if (isSpecial(resolved)) {
            return new OutputFile(resolved, Files.createTempFile("baid4j-" + resolved.getFileName() + ".", ".tmp"), true);
        }
        Path dir = resolved.getParent();
        Files.createDirectories(dir);
        return new OutputFile(resolved, Files.createTempFile(dir, "." + resolved.getFileName() + ".", ".tmp"), false);
    }

    /**
     * Where a write to {@code path} lands: the path itself, or, for a symbolic link, its final
     * target (a link whose target does not exist yet names the file to create). Absolute.
     */
    public static Path throughLinks(Path path) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        for (int i = 0; i < MAX_LINKS; i++) {
            if (!Files.isSymbolicLink(p)) {
                return p;
            }
            if (Files.exists(p)) {
                return p.toRealPath();
            }
            p = p.getParent().resolve(Files.readSymbolicLink(p)).normalize();
        }
        throw new IOException(path + ": more than " + MAX_LINKS + " symbolic links deep (a loop?)");
    }

    /** A device, FIFO or socket: something that exists and is neither a regular file nor a folder. */
    public static boolean isSpecial(Path resolved) {
        return Files.exists(resolved) && !Files.isRegularFile(resolved) && !Files.isDirectory(resolved);
    }

    /**
     * Puts a finished file ({@code finished}, made beside {@code target}'s final target, as a
     * download's part file is) in place: renamed over a regular target, copied into a device, FIFO
     * or socket (then removed).
     */
    public static Path moveInto(Path finished, Path target) throws IOException {
        try {
            return moveIntoTarget(finished, target);
        } catch (IOException e) {
            throw OutOfSpaceException.named(e, target);
        }
    }

    private static Path moveIntoTarget(Path finished, Path target) throws IOException {
        Path resolved = throughLinks(target);
        if (isSpecial(resolved)) {
            copyInto(finished, resolved);
            Files.delete(finished);
            return resolved;
        }
        try {
            Files.move(finished, resolved, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(finished, resolved, StandardCopyOption.REPLACE_EXISTING);
        }
        return resolved;
    }

    private static void copyInto(Path content, Path special) throws IOException {
        try (OutputStream out = Files.newOutputStream(special, StandardOpenOption.WRITE)) {
            Files.copy(content, out);
        } catch (IOException e) {
            throw new IOException(special + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    /**
     * Writes {@code target} whole through {@code content}, or leaves it as it was; a full file system
     * is an {@link OutOfSpaceException} naming the file and the file system.
     */
    public static void write(Path target, Content content) throws IOException {
        try (OutputFile out = create(target)) {
            content.writeTo(out.temporary());
            out.commit();
        } catch (IOException e) {
            throw OutOfSpaceException.named(e, target);
        }
    }

    /**
     * Appends {@code text} to {@code file} (made if missing): for logs, where a line lost to a full
     * disk costs nothing that a restart needs; the error names the file and the file system.
     */
    public static void append(Path file, String text) throws IOException {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw OutOfSpaceException.named(e, file);
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

    /** Flushes the temporary file to disk and renames it over the target (or copies it into a device, FIFO or socket). */
    public void commit() throws IOException {
        Path tmp = temporary();
        if (special) {
            copyInto(tmp, target);
            Files.delete(tmp);
            temporary = null;
            return;
        }
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

    /**
     * Makes {@code folder} (an output, {@code option}) and checks that files can be made in it, before
     * any work: a folder that cannot take the results is an error now, not after an hour.
     */
    public static void requireWritableFolder(Path folder, String option) {
        try {
            Files.createDirectories(folder);
            Files.delete(Files.createTempFile(folder, ".baid4j-probe.", ".tmp"));
        } catch (IOException e) {
            String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way" : e.toString();
            throw new IllegalArgumentException(option + " " + folder + ": cannot write there (" + why + ")");
        }
    }

    /** The same file, whether or not either exists yet (links followed, dangling ones too). */
    public static boolean sameFile(Path a, Path b) throws IOException {
        if (Files.exists(a) && Files.exists(b)) {
            return Files.isSameFile(a, b);
        }
        return throughLinks(a).equals(throughLinks(b));
    }
}
