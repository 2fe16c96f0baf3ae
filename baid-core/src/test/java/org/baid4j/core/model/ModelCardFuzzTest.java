package org.baid4j.core.model;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.baid4j.testkit.AllocationBound;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The model card of a model file, damaged: each damaged card reads as a valid card or fails with
 * an error naming the file and the card, within seconds and bounded memory; never a card with a
 * null, a missing field or an unusable preprocessing.
 */
class ModelCardFuzzTest {
    private static final String CARD = "{\n  \"format\" : 2,\n  \"type\" : \"saan\",\n  \"config\" : {\n    \"dropout\" : 0.2,\n"
            + "    \"headActivation\" : \"leaky-relu\",\n    \"inputSize\" : 64,\n    \"seed\" : 7,\n    \"variant\" : \"full\"\n  },\n"
            + "  \"preprocessing\" : {\n    \"inputSize\" : 64,\n    \"resize\" : \"pillow-bilinear\",\n"
            + "    \"mean\" : [ 0.485, 0.456, 0.406 ],\n    \"std\" : [ 0.229, 0.224, 0.225 ]\n  }\n}";

    @Provide
    Arbitrary<int[]> edits() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 300, seed = "20261206")
    void aDamagedCardReadsOrIsANamedError(@ForAll("edits") int[] edits) throws Exception {
        StringBuilder card = new StringBuilder(CARD);
        String tokens = "{}[]\":,0123456789.-eE nulltruefalse\\";
        for (int e : edits) {
            if (card.length() == 0) {
                card.append('{');
            }
            int at = e % card.length();
            switch (e % 4) {
                case 0 -> card.deleteCharAt(at);
                case 1 -> card.insert(at, tokens.charAt((e >>> 3) % tokens.length()));
                case 2 -> card.setCharAt(at, tokens.charAt((e >>> 5) % tokens.length()));
                default -> card.setLength(Math.max(1, at));
            }
        }
        Path file = Files.createTempFile("card", ".zip");
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(ModelFiles.CARD_ENTRY));
            zip.write(card.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        try {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                long before = AllocationBound.allocated();
                try {
                    ModelCard read = ModelFiles.readCard(file.toFile()).orElseThrow();
                    assertFalse(read.type().isBlank());
                    assertTrue(read.preprocessing().inputSize() > 0);
                    assertTrue(read.config().values().stream().allMatch(java.util.Objects::nonNull));
                } catch (IOException e) {
                    assertTrue(e.getMessage().startsWith(file + ": unreadable " + ModelFiles.CARD_ENTRY + " ("), e.getMessage());
                    assertFalse(e.getMessage().contains("(null)"), "a named problem, not a null: " + e.getMessage());
                }
                AllocationBound.check(before, "reading " + card);
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
