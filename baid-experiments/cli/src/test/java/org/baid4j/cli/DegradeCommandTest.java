package org.baid4j.cli;

import org.baid4j.data.TinyBaid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.*;

/** {@code baid degrade}: every operation of each image as a 224x224 PNG and a sheet; bad input named, one line each. */
class DegradeCommandTest {
    static final Path EXAMPLES = TinyBaid.EXAMPLES;

    @Test
    void rendersEachOperationAndASheetAndNamesWhatItCannotRead(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("broken.jpg");
        Files.write(broken, new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        Path out = dir.resolve("out");
        Cli.Run run = Cli.run("degrade", EXAMPLES.resolve("brushwork.png").toString(),
                EXAMPLES.resolve("tall-scroll.jpg").toString(), broken.toString(), "--out", out.toString());
        assertEquals(1, run.exit(), run.err());
        assertEquals(1, run.err().lines().filter(l -> l.startsWith("error: ") && l.contains("broken.jpg")).count(), run.err());
        for (String stem : new String[]{"brushwork", "tall-scroll"}) {
            for (int op = 0; op < 30; op++) {
                BufferedImage png = ImageIO.read(out.resolve(stem).resolve(String.format("%02d.png", op)).toFile());
                assertEquals(224, png.getWidth());
                assertEquals(224, png.getHeight());
            }
            BufferedImage sheet = ImageIO.read(out.resolve(stem).resolve("sheet.png").toFile());
            assertEquals(6 * 224, sheet.getWidth(), "six operations a row");
        }
        assertFalse(Files.exists(out.resolve("broken")));
        // "none" is the resized image itself; blur is not.
        assertTrue(Files.mismatch(out.resolve("brushwork/29.png"), out.resolve("brushwork/14.png")) >= 0);

        Cli.Run chosen = Cli.run("degrade", EXAMPLES.resolve("brushwork.png").toString(), "--ops", "3,24-26",
                "--out", dir.resolve("few").toString());
        assertEquals(0, chosen.exit(), chosen.err());
        try (var files = Files.list(dir.resolve("few").resolve("brushwork"))) {
            assertEquals(5, files.count(), "four operations and the sheet");
        }

        Cli.Run bad = Cli.run("degrade", EXAMPLES.resolve("brushwork.png").toString(), "--ops", "0-30",
                "--out", dir.resolve("bad").toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("operation 30 is not one of 0-29"), bad.err());
        assertFalse(Files.exists(dir.resolve("bad")), "nothing written");
    }

    /** The findings of the last pass: collisions, inputs inside --out, huge ranges and sizes: named, at once. */
    @Test
    void collisionsInputsInsideTheOutputAndHugeValuesAreNamed(@TempDir Path dir) throws Exception {
        Path inputs = Files.createDirectories(dir.resolve("in"));
        Files.copy(EXAMPLES.resolve("tall-scroll.jpg"), inputs.resolve("same.jpg"));
        Files.copy(EXAMPLES.resolve("brushwork.png"), inputs.resolve("same.png"));
        Path out = dir.resolve("out");
        Cli.Run both = Cli.run("degrade", inputs.resolve("same.jpg").toString(), inputs.resolve("same.png").toString(),
                "--ops", "3", "--out", out.toString());
        assertEquals(0, both.exit(), both.err());
        assertTrue(Files.exists(out.resolve("same.jpg").resolve("03.png")) && Files.exists(out.resolve("same.png").resolve("03.png")),
                "one folder each, by file name, where the stems collide");

        Path other = Files.createDirectories(dir.resolve("other"));
        Files.copy(EXAMPLES.resolve("mosaic.bmp"), other.resolve("same.jpg"));
        Cli.Run twins = Cli.run("degrade", inputs.resolve("same.jpg").toString(), other.resolve("same.jpg").toString(),
                "--ops", "3", "--out", dir.resolve("twins").toString());
        assertEquals(2, twins.exit());
        assertTrue(twins.err().contains("would both be written to --out's same.jpg/"), twins.err());

        // An input where an output would go is refused and kept.
        Path inside = Files.createDirectories(out.resolve("x"));
        Path input = Files.copy(EXAMPLES.resolve("brushwork.png"), inside.resolve("03.png"));
        byte[] before = Files.readAllBytes(input);
        Path x = Files.copy(EXAMPLES.resolve("mosaic.bmp"), dir.resolve("x.bmp"));
        Cli.Run overwrite = Cli.run("degrade", x.toString(), input.toString(), "--ops", "3", "--out", out.toString());
        assertEquals(2, overwrite.exit());
        assertTrue(overwrite.err().contains("--out " + input + " is one of the inputs"), overwrite.err());
        assertArrayEquals(before, Files.readAllBytes(input));

        long start = System.nanoTime();
        for (String ops : new String[]{"0-100000000", "0-2147483647"}) {
            Cli.Run huge = Cli.run("degrade", x.toString(), "--ops", ops, "--out", dir.resolve("huge").toString());
            assertEquals(2, huge.exit());
            assertTrue(huge.err().contains("is not one of 0-29"), huge.err());
        }
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused at once, not after expanding the range");
        Cli.Run big = Cli.run("degrade", x.toString(), "--size", "20000", "--out", dir.resolve("huge").toString());
        assertEquals(2, big.exit());
        assertTrue(big.err().contains("--size takes a side from 16 to 4096 pixels, got 20000"), big.err());
        assertFalse(Files.exists(dir.resolve("huge")));
    }
}
