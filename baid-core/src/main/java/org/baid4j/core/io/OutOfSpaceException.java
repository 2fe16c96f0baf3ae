package org.baid4j.core.io;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A write that failed because its file system is full (or the user's quota is): the message names
 * the file and the file system with its free space. Whatever was being written is left as it was
 * (outputs are whole or absent), so the same command, or --resume for a run or a sweep, goes on
 * once space is freed.
 */
public final class OutOfSpaceException extends IOException {
    private final Path file;

    private OutOfSpaceException(Path file, String message, IOException cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file whose write failed. */
    public Path file() {
        return file;
    }

    /** {@code e} as an {@link OutOfSpaceException} naming {@code file} when a full disk caused it, else {@code e}. */
    public static IOException named(IOException e, Path file) {
        if (e instanceof OutOfSpaceException || !isOutOfSpace(e) || isDevice(file)) {
            return e;   // a full device (/dev/full) is the device's answer, already named: no file system to describe
        }
        return new OutOfSpaceException(file, file + ": no space left on " + describe(file)
                + "; nothing half-written was kept: free some space, then run the same command again (--resume for a"
                + " run or a sweep)", e);
    }

    /** Whether {@code e} (or a cause) is ENOSPC or EDQUOT, as the JDK words them. */
    public static boolean isOutOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDevice(Path file) {
        try {
            return OutputFile.isSpecial(OutputFile.throughLinks(file));
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(Path file) {
        try {
            Path existing = file.toAbsolutePath();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return "its file system";
            }
            FileStore store = Files.getFileStore(existing);
            return String.format(Locale.ROOT, "the file system %s (%s free of %s)", store, megabytes(store.getUsableSpace()),
                    megabytes(store.getTotalSpace()));
        } catch (IOException e) {
            return "its file system";
        }
    }

    private static String megabytes(long bytes) {
        return bytes >= 10L << 30 ? (bytes >> 30) + " GB" : String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }
}
