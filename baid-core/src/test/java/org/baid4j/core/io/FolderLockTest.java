package org.baid4j.core.io;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** One writer per folder, across processes; a killed holder's lock does not outlive it. */
@Tag("process")
class FolderLockTest {

    /** Holds the lock of the folder in args[0] until killed. */
    public static void main(String[] args) throws Exception {
        try (FolderLock lock = FolderLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @Test
    void aSecondProcessIsRefusedUntilTheHolderIsKilled(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), FolderLockTest.class.getName(), run.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            FolderLock.FolderInUseException busy = assertThrows(FolderLock.FolderInUseException.class,
                    () -> FolderLock.acquire(run));
            assertEquals(run + ": in use by process " + holder.pid() + "; wait for it to finish, or stop it",
                    busy.getMessage());
        } finally {
            holder.destroyForcibly();   // SIGKILL: no chance to release anything
            assertTrue(holder.waitFor(20, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(run.resolve(FolderLock.FILE)), "a killed holder leaves its file, not its lock");
        try (FolderLock lock = FolderLock.acquire(run)) {
            assertEquals(run.resolve(FolderLock.FILE), lock.file());
            assertThrows(FolderLock.FolderInUseException.class, () -> FolderLock.acquire(run),
                    "a second writer in the same process is refused too");
        }
        assertFalse(Files.exists(run.resolve(FolderLock.FILE)), "a holder that ends normally takes its file away");
        FolderLock.acquire(run).close();   // released by close
        try (Stream<Path> left = Files.list(run)) {
            assertEquals(List.of(), left.toList());
        }
    }

    /** A lock kept elsewhere than the folder it guards (a download's, in the root's .baid4j/): the folder holds none. */
    @Test
    void aLockKeptBesideTheFolderLeavesNothingInIt(@TempDir Path dir) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path lockFile = dir.resolve(".baid4j").resolve("images.lock");
        try (FolderLock lock = FolderLock.acquire(images, lockFile)) {
            assertEquals(lockFile, lock.file());
            FolderLock.FolderInUseException busy = assertThrows(FolderLock.FolderInUseException.class,
                    () -> FolderLock.acquire(images, lockFile));
            assertTrue(busy.getMessage().startsWith(images + ": in use by this process"), busy.getMessage());
            try (Stream<Path> inside = Files.list(images)) {
                assertEquals(List.of(), inside.toList());
            }
        }
        assertFalse(Files.exists(lockFile));
    }
}
