package org.baid4j.data;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The resize against Pillow's own output (tools/pytorch/make_resize_fixtures.py) on a grid of
 * sizes the 224x224 fixtures miss: rows whose length is not a multiple of 4 bytes, one axis kept
 * (Pillow skips that pass), 1-pixel targets, upscaling, and shrinking one axis while growing the
 * other. Both entry points: from RGB in the heap, and from decoded BGR in OpenCV's memory.
 */
class PillowResizeGridTest {
    private static final Pattern TARGET = Pattern.compile("(.+)-to-(\\d+)x(\\d+)\\.png");

    static Stream<String> targets() throws IOException, URISyntaxException {
        Path dir = Path.of(PillowResizeGridTest.class.getResource("/reference-resize-grid").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> TARGET.matcher(n).matches()).sorted()
                    .toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void resizeEqualsPillowByteForByte(String name) throws Exception {
        Matcher m = TARGET.matcher(name);
        assertTrue(m.matches());
        int width = Integer.parseInt(m.group(2));
        int height = Integer.parseInt(m.group(3));
        RgbImage expected = rgb(read(name));
        assertEquals(width, expected.width());

        RgbImage fromHeap = PillowResize.bilinear(rgb(read(m.group(1) + ".png")), width, height);
        assertArrayEquals(expected.rgb(), fromHeap.rgb(), name + " (from RGB in the heap)");

        Path source = Path.of(getClass().getResource("/reference-resize-grid/" + m.group(1) + ".png").toURI());
        RgbImage fromDecoder = ImageDecoder.withBgrPixels(source, bgr -> PillowResize.resample(bgr, width, height, true));
        assertArrayEquals(expected.rgb(), fromDecoder.rgb(), name + " (from decoded BGR)");
    }

    private BufferedImage read(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/reference-resize-grid/" + name)) {
            assertNotNull(in, name);
            return ImageIO.read(in);
        }
    }

    private static RgbImage rgb(BufferedImage img) {
        byte[] rgb = new byte[3 * img.getWidth() * img.getHeight()];
        for (int y = 0, i = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int argb = img.getRGB(x, y);
                rgb[i++] = (byte) (argb >> 16);
                rgb[i++] = (byte) (argb >> 8);
                rgb[i++] = (byte) argb;
            }
        }
        return new RgbImage(img.getWidth(), img.getHeight(), rgb);
    }
}
