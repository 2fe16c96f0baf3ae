package org.baid4j.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One writer per folder: a run folder, a sweep, a cache being built, a download root. The lock is
 * the operating system's lock on {@value #FILE} in the folder, so a process killed at any moment
 * holds it no longer; the file carries the holder's PID for the message a second writer gets.
 */
public final class FolderLock implements AutoCloseable {
    public static final String FILE = ".baid4j.lock";

    /** A folder another process (or another part of this one) is writing. */
    public static final class FolderInUseException extends IOException {
        public FolderInUseException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Locks {@code folder} (created if missing) for this process, or says who holds it; changes nothing then. */
    public static FolderLock acquire(Path folder) throws IOException {
        Files.createDirectories(folder);
        return acquire(folder, folder.resolve(FILE));
    }

    /** Locks one file being built in a shared folder (a cache), through a hidden lock file beside it. */
    public static FolderLock acquireFile(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        return acquire(target, absolute.resolveSibling("." + absolute.getFileName() + ".lock"));
    }

    private static FolderLock acquire(Path folder, Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
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
        return new FolderLock(file, channel, lock);
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

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
