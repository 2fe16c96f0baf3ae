package org.baid4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

/** The structure check that runs on every image before decoding, on the repository's JPEGs and PNGs. */
class ImageFormatTest {
    private static final Path EXAMPLES = TinyBaid.EXAMPLES;

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

    @Test
    void anUnsupportedFormatIsNamed(@TempDir Path dir) throws Exception {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
        Path gif = dir.resolve("a.gif");
        assertTrue(javax.imageio.ImageIO.write(image, "gif", gif.toFile()));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(gif));
        assertEquals(gif + ": a GIF image, a format not supported here (JPEG, PNG, BMP, WebP, TIFF and PNM are)",
                e.getMessage());
    }

    @Test
    void anImageTooLargeToDecodeSaysTheLimit(@TempDir Path dir) throws Exception {
        byte[] png = Files.readAllBytes(EXAMPLES.resolve("brushwork.png"));
        java.nio.ByteBuffer.wrap(png).putInt(16, 40_000).putInt(20, 30_000);   // IHDR's width and height
        Path big = Files.write(dir.resolve("big.png"), png);
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(big));
        assertEquals(big + ": too large to decode: 40000x30000 pixels, the limit is 178,956,970 pixels", e.getMessage());
        byte[] jpeg = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
        long[] wh = ImageFormat.JPEG.dimensions(jpeg);
        RgbImage decoded = ImageDecoder.decode(EXAMPLES.resolve("sunset-strokes.jpg"));
        assertArrayEquals(new long[]{decoded.width(), decoded.height()}, wh, "the size read from the JPEG's frame header");
    }
}
