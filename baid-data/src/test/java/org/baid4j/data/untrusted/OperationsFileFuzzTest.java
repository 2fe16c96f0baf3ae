package org.baid4j.data.untrusted;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.baid4j.data.baid.BaidDataException;
import org.baid4j.data.pretraining.PretrainingOperations;
import org.baid4j.testkit.AllocationBound;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/** pretrain --operations FILE on arbitrary text: read, or a named error on the file's line; seconds, bounded memory. */
class OperationsFileFuzzTest {

    @Provide
    Arbitrary<String> operationsText() {
        Arbitrary<String> cell = Arbitraries.oneOf(Arbitraries.strings().withChars("ab0123456789,-+ .eE\"\n\uFEFF").ofMaxLength(10),
                Arbitraries.of("1.jpg", "3", "29", "30", "-1", "2147483648", "0x1", " 4 ", ""));
        Arbitrary<String> row = cell.list().ofMaxSize(5).map(c -> String.join(",", c));
        Arbitrary<String> header = Arbitraries.of("image,op1,op2,op3", "image,op1,op2", "", "\uFEFFimage,op1,op2,op3");
        return Combinators.combine(header, row.list().ofMaxSize(8)).as((h, rows) -> h + "\n" + String.join("\n", rows));
    }

    @Property(tries = 300, seed = "20261206")
    void anOperationsFileReadsOrIsANamedError(@ForAll("operationsText") String text) throws Exception {
        Path file = Files.createTempFile("operations", ".csv");
        try {
            Files.writeString(file, text);
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                long before = AllocationBound.allocated();
                try {
                    PretrainingOperations ops = PretrainingOperations.read(file);
                    assertNotNull(ops);
                } catch (BaidDataException e) {
                    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
                }
                AllocationBound.check(before, "reading " + text);
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
