package org.baid4j.core.io;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
        try (FolderLock lock = FolderLock.acquire(run)) {
            assertEquals(run.resolve(FolderLock.FILE), lock.file());
            assertThrows(FolderLock.FolderInUseException.class, () -> FolderLock.acquire(run),
                    "a second writer in the same process is refused too");
        }
        FolderLock.acquire(run).close();   // released by close
    }
}
