package org.baid4j.weights;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.baid4j.testkit.AllocationBound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The torch.save reader on damaged input, a bounded number of tries each run: a checkpoint with
 * bytes of its pickle program or of the whole file changed, inserted or cut. Whatever the bytes,
 * reading either works or fails with an IOException naming the file, within seconds: never
 * another exception, a hang or an allocation past {@link AllocationBound} (the file is 10 KB).
 */
class CheckpointFuzzTest {
    private static final Duration PER_TRY = Duration.ofSeconds(10);

    /** A change to a byte string: at a relative position, set, insert or cut bytes. */
    record Edit(double at, int kind, byte value, int length) {
        byte[] apply(byte[] data) {
            int i = Math.min(data.length - 1, (int) (at * data.length));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (kind) {
                case 0 -> {   // overwrite
                    byte[] copy = data.clone();
                    for (int k = 0; k < length && i + k < copy.length; k++) {
                        copy[i + k] = (byte) (value + k);
                    }
                    return copy;
                }
                case 1 -> {   // insert
                    out.write(data, 0, i);
                    for (int k = 0; k < length; k++) {
                        out.write(value);
                    }
                    out.write(data, i, data.length - i);
                    return out.toByteArray();
                }
                default -> {  // cut
                    out.write(data, 0, i);
                    int after = Math.min(data.length, i + length);
                    out.write(data, after, data.length - after);
                    return out.toByteArray();
                }
            }
        }
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.doubles().between(0, 1), Arbitraries.integers().between(0, 2),
                Arbitraries.bytes(), Arbitraries.integers().between(1, 16)).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(4);
    }

    @Property(tries = 150, seed = "20261201")
    void aDamagedPickleProgramIsANamedError(@ForAll("edits") List<Edit> edits) throws Exception {
        Path fixture = TorchCheckpointTest.fixture("nonlocal.pt");
        Path damaged = Files.createTempFile("fuzz-pickle", ".pt");
        try {
            rewriteEntry(fixture, damaged, "nonlocal/data.pkl", edits);
            readWithin(damaged);
        } finally {
            Files.deleteIfExists(damaged);
        }
    }

    @Property(tries = 150, seed = "20261202")
    void aDamagedCheckpointFileIsANamedError(@ForAll("edits") List<Edit> edits) throws Exception {
        byte[] data = Files.readAllBytes(TorchCheckpointTest.fixture("nonlocal.pt"));
        for (Edit e : edits) {
            data = e.apply(data);
        }
        Path damaged = Files.createTempFile("fuzz-file", ".pt");
        try {
            Files.write(damaged, data);
            readWithin(damaged);
        } finally {
            Files.deleteIfExists(damaged);
        }
    }

    private static void readWithin(Path file) {
        assertTimeoutPreemptively(PER_TRY, () -> {
            long before = AllocationBound.allocated();
            try {
                TorchCheckpoint checkpoint = TorchCheckpoint.read(file);
                for (TorchTensor t : checkpoint.stateDict().values()) {
                    t.toINDArray();
                }
            } catch (IOException e) {
                assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()),
                        "an error that does not name the file: " + e);
            } catch (OutOfMemoryError e) {
                fail("reading " + file + " allocated past the heap: " + e);
            }
            AllocationBound.check(before, "reading " + file);
        });
    }

    private static void rewriteEntry(Path from, Path to, String name, List<Edit> edits) throws IOException {
        try (ZipFile zip = new ZipFile(from.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                byte[] bytes = zip.getInputStream(e).readAllBytes();
                if (e.getName().equals(name)) {
                    for (Edit edit : edits) {
                        bytes = edit.apply(bytes);
                    }
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
    }
}
