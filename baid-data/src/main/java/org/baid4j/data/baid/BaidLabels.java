package org.baid4j.data.baid;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads BAID's CSV files strictly: the header must be the dataset's, every score a number in
 * [0, 10], no image twice. A bad row is an error with the file and the line number. The release's
 * own files are vendored (see NOTICE.md beside them) so that a user needs only the images.
 */
public final class BaidLabels {
    static final String LABEL_HEADER = "image,score";
    static final String IMAGE_LIST_HEADER = "image_link,image_name";

    /** A row of image_list.csv: where to download an image from, and its file name. */
    public record ImageLink(String url, String image) {
    }

    private BaidLabels() {
    }

    public static List<BaidLabel> read(Path csv) throws BaidDataException {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return parseLabels(r, csv.toString());
        } catch (BaidDataException e) {
            throw e;
        } catch (IOException e) {
            throw new BaidDataException(csv + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** The split as published with BAID (vendored). */
    public static List<BaidLabel> vendored(BaidSplit split) {
        try (BufferedReader r = vendoredReader(split.fileName())) {
            return parseLabels(r, vendoredName(split.fileName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<ImageLink> readImageList(Path csv) throws BaidDataException {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return parseImageList(r, csv.toString());
        } catch (BaidDataException e) {
            throw e;
        } catch (IOException e) {
            throw new BaidDataException(csv + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** image_list.csv as published with BAID (vendored): 60,337 download addresses. */
    public static List<ImageLink> vendoredImageList() {
        try (BufferedReader r = vendoredReader("image_list.csv")) {
            return parseImageList(r, vendoredName("image_list.csv"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String vendoredName(String file) {
        return "baid4j:org/baid4j/data/baid/" + file;
    }

    private static BufferedReader vendoredReader(String file) {
        InputStream s = BaidLabels.class.getResourceAsStream(file);
        if (s == null) {
            throw new IllegalStateException("vendored BAID file missing from the jar: " + file);
        }
        return new BufferedReader(new InputStreamReader(s, StandardCharsets.UTF_8));
    }

    static List<BaidLabel> parseLabels(BufferedReader r, String source) throws IOException {
        List<BaidLabel> labels = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String line = header(r, source, LABEL_HEADER);
        int number = 1;
        while ((line = r.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 2) {
                throw new BaidDataException(source + ":" + number + ": expected 2 fields (image,score), found " + f.length);
            }
            String image = f[0].trim();
            if (image.isEmpty()) {
                throw new BaidDataException(source + ":" + number + ": empty image name");
            }
            double score;
            try {
                score = Double.parseDouble(f[1].trim());
            } catch (NumberFormatException e) {
                throw new BaidDataException(source + ":" + number + ": score '" + f[1] + "' is not a number");
            }
            if (!(score >= 0 && score <= 10)) {
                throw new BaidDataException(source + ":" + number + ": score " + f[1].trim() + " is outside [0, 10]");
            }
            Integer first = seen.putIfAbsent(image, number);
            if (first != null) {
                throw new BaidDataException(source + ":" + number + ": " + image + " is listed twice (first on line "
                        + first + ")");
            }
            labels.add(new BaidLabel(image, score));
        }
        return labels;
    }

    static List<ImageLink> parseImageList(BufferedReader r, String source) throws IOException {
        List<ImageLink> links = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String line = header(r, source, IMAGE_LIST_HEADER);
        int number = 1;
        while ((line = r.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma <= 0 || comma == line.length() - 1) {
                throw new BaidDataException(source + ":" + number + ": expected image_link,image_name");
            }
            String url = line.substring(0, comma).trim();
            String image = line.substring(comma + 1).trim();
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new BaidDataException(source + ":" + number + ": '" + url + "' is not an http(s) address");
            }
            if (image.contains("/") || image.contains("\\") || image.startsWith(".")) {
                throw new BaidDataException(source + ":" + number + ": '" + image + "' is not a plain file name");
            }
            Integer first = seen.putIfAbsent(image, number);
            if (first != null) {
                throw new BaidDataException(source + ":" + number + ": " + image + " is listed twice (first on line "
                        + first + ")");
            }
            links.add(new ImageLink(url, image));
        }
        return links;
    }

    private static String header(BufferedReader r, String source, String expected) throws IOException {
        String first = r.readLine();
        if (first == null) {
            throw new BaidDataException(source + ": empty file (expected the header '" + expected + "')");
        }
        String header = first.replace("\uFEFF", "").trim();
        if (!header.equals(expected)) {
            throw new BaidDataException(source + ":1: header is '" + header + "', expected '" + expected + "'");
        }
        return header;
    }
}
