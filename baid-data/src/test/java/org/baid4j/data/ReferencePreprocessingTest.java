package org.baid4j.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Decoding and resizing against the reference's own pixels (cv2.imread + PIL bilinear, written by
 * tools/pytorch/make_preprocessing_fixtures.py) for every image the repository ships: JPEG
 * baseline, progressive and EXIF-rotated, PNG RGB, grey, palette, RGBA and 16-bit, BMP.
 */
class ReferencePreprocessingTest {
    static final Path EXAMPLES = TinyBaid.EXAMPLES;

    static Stream<String> exampleImages() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void theExamplesCoverEveryDecodePath() throws IOException {
        assertTrue(exampleImages().count() >= 10);
    }

    @ParameterizedTest
    @MethodSource("exampleImages")
    void resizedPixelsEqualThoseOfOpenCvAndPillow(String name) throws Exception {
        // The input pipeline's path (resize in BGR, swap after) and the public decode-then-resize path.
        RgbImage resized = new SaanTransform(224).resize(EXAMPLES.resolve(name));
        assertArrayEquals(resized.rgb(), PillowResize.bilinear(ImageDecoder.decode(EXAMPLES.resolve(name)), 224, 224).rgb());
        BufferedImage expected = ImageIO.read(getClass().getResourceAsStream("/reference-resized/" + name + ".png"));
        assertEquals(224, expected.getWidth());
        int differing = 0;
        int worst = 0;
        for (int y = 0; y < 224; y++) {
            for (int x = 0; x < 224; x++) {
                int argb = expected.getRGB(x, y);
                int[] want = {(argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF};
                for (int c = 0; c < 3; c++) {
                    int d = Math.abs(resized.get(x, y, c) - want[c]);
                    if (d > 0) {
                        differing++;
                        worst = Math.max(worst, d);
                    }
                }
            }
        }
        assertEquals(0, differing, name + ": " + differing + " channel values differ, by up to " + worst);
    }

    @Test
    void exifOrientationIsApplied() throws Exception {
        RgbImage img = ImageDecoder.decode(EXAMPLES.resolve("portrait-exif-rotated.jpg"));
        // Stored 320 wide and 240 high, orientation 6 (rotate 90 degrees clockwise).
        assertEquals(240, img.width());
        assertEquals(320, img.height());
    }

    @Test
    void resizeOfAnExactSizeImageIsACopy() throws Exception {
        RgbImage img = ImageDecoder.decode(EXAMPLES.resolve("mosaic.bmp"));
        assertArrayEquals(img.rgb(), PillowResize.bilinear(img, 224, 224).rgb());
    }

    @Test
    void normalisationIsTorchvisionsInFloat32() {
        byte[] rgb = new byte[3 * 4];
        Arrays.fill(rgb, (byte) 200);
        rgb[0] = 0;
        float[] chw = new SaanTransform(2).chw(new RgbImage(2, 2, rgb));
        assertEquals((0f / 255f - 0.485f) / 0.229f, chw[0]);
        assertEquals((200f / 255f - 0.485f) / 0.229f, chw[1]);
        assertEquals((200f / 255f - 0.456f) / 0.224f, chw[4]);
        assertEquals((200f / 255f - 0.406f) / 0.225f, chw[8]);
    }

    @Test
    void truncatedJpegIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
        Path cut = dir.resolve("cut.jpg");
        Files.write(cut, Arrays.copyOf(full, full.length / 2));
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated JPEG"), e.getMessage());
        // Losing only the last two bytes (the end-of-image marker) is caught too.
        Files.write(cut, Arrays.copyOf(full, full.length - 2));
        assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(cut));
    }

    @Test
    void truncatedProgressiveJpegAndPngAreErrors(@TempDir Path dir) throws Exception {
        for (String name : new String[]{"harbour-progressive.jpg", "brushwork.png"}) {
            byte[] full = Files.readAllBytes(EXAMPLES.resolve(name));
            Path cut = dir.resolve("cut-" + name);
            Files.write(cut, Arrays.copyOf(full, full.length * 3 / 4));
            ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(cut));
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
    }

    @Test
    void trailingBytesAfterTheJpegEndAreAccepted(@TempDir Path dir) throws Exception {
        byte[] full = Files.readAllBytes(EXAMPLES.resolve("sunset-strokes.jpg"));
        Path padded = dir.resolve("padded.jpg");
        byte[] more = Arrays.copyOf(full, full.length + 100);
        Files.write(padded, more);
        assertArrayEquals(ImageDecoder.decode(EXAMPLES.resolve("sunset-strokes.jpg")).rgb(),
                ImageDecoder.decode(padded).rgb());
    }

    @Test
    void nonImagesMissingFilesAndDirectoriesAreNamedErrors(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("error-page.jpg");
        Files.writeString(html, "<!DOCTYPE html><html><body>503 Service Unavailable</body></html>");
        ImageDecodeException e = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(html));
        assertTrue(e.getMessage().contains("not an image") && e.getMessage().contains("HTML"), e.getMessage());

        Path empty = dir.resolve("empty.png");
        Files.createFile(empty);
        assertTrue(assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(empty)).getMessage().contains("empty"));

        Path missing = dir.resolve("missing.jpg");
        assertTrue(assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(missing)).getMessage()
                .contains("no such file"));
        assertTrue(assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(dir)).getMessage()
                .contains("directory"));
    }
}
