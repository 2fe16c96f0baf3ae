package org.baid4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One writer per folder: a run folder, a sweep, a cache being built, a download's images. The lock
 * is the operating system's lock on a small file ({@value #FILE} in the folder, or a file of
 * baid4j's own beside it, as a download keeps its lock out of the images), so a process killed at
 * any moment holds it no longer; the file carries the holder's PID for the message a second writer
 * gets, and a holder that ends normally removes it.
 */
public final class FolderLock implements AutoCloseable {
    public static final String FILE = ".baid4j.lock";

    /** A folder another process (or another part of this one) is writing. */
    public static final class FolderInUseException extends IOException {
        public FolderInUseException(String message) {
            super(message);
        }
    }

    private static final int ATTEMPTS = 5;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    /** The lock file's identity (device and inode) when it was opened. */
    private final Object key;

    private FolderLock(Path file, FileChannel channel, FileLock lock, Object key) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.key = key;
    }

    /** Locks {@code folder} (created if missing) for this process, or says who holds it; changes nothing then. */
    public static FolderLock acquire(Path folder) throws IOException {
        Files.createDirectories(folder);
        return acquire(folder, folder.resolve(FILE));
    }

    /**
     * Locks {@code folder} through {@code lockFile} kept elsewhere (its folder created): for folders
     * whose content is the user's data, where no file of baid4j's belongs (a download's images).
     */
    public static FolderLock acquire(Path folder, Path lockFile) throws IOException {
        Files.createDirectories(lockFile.toAbsolutePath().getParent());
        return acquire((Object) folder, lockFile);
    }

    /** Locks one file being built in a shared folder (a cache), through a hidden lock file beside it. */
    public static FolderLock acquireFile(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        return acquire((Object) target, absolute.resolveSibling("." + absolute.getFileName() + ".lock"));
    }

    /**
     * The lock of {@code file}, made if missing. A holder removes the file when it ends, so the file
     * opened here may be removed before its lock is taken; then the lock guards nothing and is
     * taken again on the file now at the path.
     */
    private static FolderLock acquire(Object folder, Path file) throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            FolderLock held = tryAcquire(folder, file);
            Object now;
            try {
                now = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            } catch (NoSuchFileException e) {
                now = null;
            }
            if (now != null && now.equals(held.key)) {
                return held;
            }
            held.lock.release();
            held.channel.close();
        }
        throw new IOException(file + ": the lock file keeps being replaced; is another process removing it?");
    }

    private static FolderLock tryAcquire(Object folder, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Object key;
        try {
            key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            key = null;
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new FolderInUseException(folder + ": in use by this process already (pid "
                    + ProcessHandle.current().pid() + ")");
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(channel);
            channel.close();
            throw new FolderInUseException(folder + ": in use by process " + holder
                    + "; wait for it to finish, or stop it");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(false);
        return new FolderLock(file, channel, lock, key);
    }

    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(32);
        channel.read(buffer, 0);
        String pid = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        return pid.isEmpty() ? "(unknown pid)" : pid;
    }

    public Path file() {
        return file;
    }

    /** Removes the lock file (while still holding its lock, so no one else holds a lock on it), then releases. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
