package org.baid4j.data.untrusted;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.ImageDecoder;
import org.baid4j.data.TinyBaid;
import org.baid4j.data.baid.BaidDataException;
import org.baid4j.data.baid.BaidLabels;
import org.baid4j.testkit.AllocationBound;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Property tests of the parsers of untrusted input, a bounded number of tries each run: the label
 * and image-list CSV readers on arbitrary text, the image checks on damaged JPEG and PNG bytes.
 * Each either reads or fails with the project's named error, within seconds and under
 * {@link AllocationBound}.
 */
class UntrustedInputTest {
    private static final Duration PER_TRY = Duration.ofSeconds(10);

    @Provide
    Arbitrary<String> csvText() {
        Arbitrary<String> cell = Arbitraries.oneOf(Arbitraries.strings().withChars("ab,\"\n\r 0.5-9eE\uFEFF/\\.").ofMaxLength(12),
                Arbitraries.of("image", "score", "image_link", "image_name", "1.jpg", "5.5", "http://x/1.jpg", "\"a,b\"", "nan"));
        Arbitrary<String> line = cell.list().ofMaxSize(4).map(c -> String.join(",", c));
        Arbitrary<String> header = Arbitraries.of("image,score", "image_link,image_name", "", "image;score");
        return net.jqwik.api.Combinators.combine(header, line.list().ofMaxSize(6))
                .as((h, rows) -> h + "\n" + String.join("\n", rows));
    }

    @Property(tries = 300, seed = "20261201")
    void labelAndListFilesReadOrAreNamedErrors(@ForAll("csvText") String text) throws Exception {
        Path file = Files.createTempFile("fuzz", ".csv");
        try {
            Files.writeString(file, text);
            assertTimeoutPreemptively(PER_TRY, () -> {
                long before = AllocationBound.allocated();
                try {
                    BaidLabels.read(file).forEach(l -> assertTrue(l.score() >= 0 && l.score() <= 10));
                } catch (BaidDataException e) {
                    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
                }
                try {
                    BaidLabels.readImageList(file).forEach(l -> assertFalse(l.image().contains("/")));
                } catch (BaidDataException e) {
                    assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
                }
                AllocationBound.check(before, "reading " + text);
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<int[]> edits() {
        return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 200, seed = "20261202")
    void damagedImagesDecodeOrAreNamedErrors(@ForAll("edits") int[] edits, @ForAll boolean png) throws Exception {
        byte[] data = Files.readAllBytes(TinyBaid.EXAMPLES.resolve(png ? "brushwork.png" : "sunset-strokes.jpg"));
        for (int e : edits) {
            int at = e % data.length;
            if (e % 7 == 0) {
                data = java.util.Arrays.copyOf(data, at + 1);   // cut
            } else {
                data[at] = (byte) (e >>> 8);
            }
        }
        byte[] input = data;
        Path name = Path.of("fuzzed" + (png ? ".png" : ".jpg"));
        assertTimeoutPreemptively(PER_TRY, () -> {
            long before = AllocationBound.allocated();
            try {
                var image = ImageDecoder.decode(name, input);
                assertTrue(image.width() > 0 && image.height() > 0);
            } catch (ImageDecodeException e) {
                assertTrue(e.getMessage().startsWith(name.toString()), e.getMessage());
            }
            AllocationBound.check(before, "decoding a damaged " + name);
        });
    }
}
