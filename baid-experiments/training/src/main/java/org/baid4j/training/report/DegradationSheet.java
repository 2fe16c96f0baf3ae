package org.baid4j.training.report;

import org.baid4j.core.io.OutputFile;
import org.baid4j.data.pretraining.BgrImage;
import org.baid4j.data.pretraining.Degradation;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** Degraded images as PNG files, and a labelled contact sheet of them: what the pretraining network is taught. */
public final class DegradationSheet {
    private static final int COLUMNS = 6;
    private static final int LABEL = 22;

    private DegradationSheet() {
    }

    /** Writes {@code image} losslessly as PNG. */
    public static void writePng(BgrImage image, Path png) throws IOException {
        writePng(toBuffered(image), png);
    }

    /** A grid of the rendered operations, each labelled with its number and parameter, written to {@code png}. */
    public static void writeSheet(Map<Degradation, BgrImage> rendered, String title, Path png) throws IOException {
        List<Degradation> ops = List.copyOf(rendered.keySet());
        int tile = rendered.values().iterator().next().width();
        int columns = Math.min(COLUMNS, ops.size());
        int rows = (ops.size() + columns - 1) / columns;
        BufferedImage sheet = new BufferedImage(columns * tile, LABEL + rows * (tile + LABEL), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, sheet.getWidth(), sheet.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.drawString(title, 6, LABEL - 6);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
            for (int i = 0; i < ops.size(); i++) {
                int x = (i % columns) * tile;
                int y = LABEL + (i / columns) * (tile + LABEL);
                g.drawString(ops.get(i).label(), x + 4, y + LABEL - 6);
                g.drawImage(toBuffered(rendered.get(ops.get(i))), x, y + LABEL, null);
            }
        } finally {
            g.dispose();
        }
        writePng(sheet, png);
    }

    private static void writePng(BufferedImage image, Path png) throws IOException {
        OutputFile.write(png, tmp -> ImageIO.write(image, "png", tmp.toFile()));
    }

    private static BufferedImage toBuffered(BgrImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                out.setRGB(x, y, (image.get(x, y, 2) << 16) | (image.get(x, y, 1) << 8) | image.get(x, y, 0));
            }
        }
        return out;
    }
}
