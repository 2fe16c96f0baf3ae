package org.baid4j.data;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The structure check that runs on every image before decoding, on the repository's JPEGs and PNGs. */
class ImageFormatTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "images");

    @Test
    void everyTruncationOfAJpegIsCaughtAndTheWholeFilePasses() throws Exception {
        for (String name : new String[]{"sunset-strokes.jpg", "harbour-progressive.jpg", "portrait-exif-rotated.jpg"}) {
            byte[] full = Files.readAllBytes(EXAMPLES.resolve(name));
            assertEquals(ImageFormat.JPEG, ImageFormat.sniff(full));
            assertNull(ImageFormat.JPEG.structuralProblem(full), name);
            // Every cut near the end (where the 8-byte scan hands over to single bytes) and cuts spread over the scan data.
            for (int cut = 1; cut <= 40; cut++) {
                assertNotNull(ImageFormat.JPEG.structuralProblem(Arrays.copyOf(full, full.length - cut)), name + " minus " + cut);
            }
            for (int k = 1; k < 200; k++) {
                int length = (int) ((long) full.length * k / 200);
                assertNotNull(ImageFormat.JPEG.structuralProblem(Arrays.copyOf(full, length)), name + " cut to " + length);
            }
        }
    }

    @Test
    void everyTruncationOfAPngIsCaught() throws Exception {
        byte[] full = Files.readAllBytes(EXAMPLES.resolve("brushwork.png"));
        assertNull(ImageFormat.PNG.structuralProblem(full));
        for (int k = 1; k < 100; k++) {
            assertNotNull(ImageFormat.PNG.structuralProblem(Arrays.copyOf(full, full.length * k / 100)));
        }
    }
}
