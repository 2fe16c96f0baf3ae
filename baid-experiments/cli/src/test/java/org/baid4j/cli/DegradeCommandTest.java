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
}
