package org.baid4j.data.baid;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads BAID's CSV files strictly, as RFC 4180 CSV: the header must be the dataset's, every score a
 * number in [0, 10], no image twice. A bad row is an error with the file and the line number. The release's
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

    static List<BaidLabel> parseLabels(Reader r, String source) throws IOException {
        List<BaidLabel> labels = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        for (Row row : rows(r, source, LABEL_HEADER)) {
            String image = row.field(0);
            if (image.isEmpty()) {
                throw row.error("empty image name");
            }
            double score;
            try {
                score = Double.parseDouble(row.field(1));
            } catch (NumberFormatException e) {
                throw row.error("score '" + row.field(1) + "' is not a number");
            }
            if (!(score >= 0 && score <= 10)) {
                throw row.error("score " + row.field(1) + " is outside [0, 10]");
            }
            Long first = seen.putIfAbsent(image, row.line());
            if (first != null) {
                throw row.error(image + " is listed twice (first on line " + first + ")");
            }
            labels.add(new BaidLabel(image, score));
        }
        return labels;
    }

    static List<ImageLink> parseImageList(Reader r, String source) throws IOException {
        List<ImageLink> links = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        for (Row row : rows(r, source, IMAGE_LIST_HEADER)) {
            String url = row.field(0);
            String image = row.field(1);
            String scheme = url.toLowerCase(Locale.ROOT);
            if (!scheme.startsWith("http://") && !scheme.startsWith("https://")) {
                throw row.error("'" + url + "' is not an http(s) address");
            }
            if (image.isEmpty() || image.contains("/") || image.contains("\\") || image.startsWith(".")) {
                throw row.error("'" + image + "' is not a plain file name");
            }
            Long first = seen.putIfAbsent(image, row.line());
            if (first != null) {
                throw row.error(image + " is listed twice (first on line " + first + ")");
            }
            links.add(new ImageLink(url, image));
        }
        return links;
    }

    /** A data row of a two-column file, its fields trimmed, with its line for messages. */
    private record Row(String source, long line, String[] fields) {
        String field(int i) {
            return fields[i];
        }

        BaidDataException error(String problem) {
            return new BaidDataException(source + ":" + line + ": " + problem);
        }
    }

    /**
     * The rows after the header {@code expected}, read as RFC 4180 CSV (quoted fields may hold
     * commas, quotes and line breaks); blank lines are skipped; each row must have two fields.
     */
    private static List<Row> rows(Reader r, String source, String expected) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreEmptyLines(true).setTrim(true).build();
        List<Row> rows = new ArrayList<>();
        String[] columns = expected.split(",");
        try (CSVParser parser = format.parse(r)) {
            boolean header = true;
            for (CSVRecord record : parser) {
                long line = parser.getCurrentLineNumber();
                String[] fields = record.values();
                if (header) {
                    String found = String.join(",", fields).replace("\uFEFF", "").trim();
                    if (!found.equals(expected)) {
                        throw new BaidDataException(source + ":" + line + ": header is '" + found + "', expected '"
                                + expected + "'");
                    }
                    header = false;
                    continue;
                }
                if (fields.length == 1 && fields[0].isEmpty()) {
                    continue;
                }
                if (fields.length != columns.length) {
                    throw new BaidDataException(source + ":" + line + ": expected " + columns.length + " fields ("
                            + expected + "), found " + fields.length + " (quote a field that has a comma)");
                }
                rows.add(new Row(source, line, fields));
            }
            if (header) {
                throw new BaidDataException(source + ": empty file (expected the header '" + expected + "')");
            }
        } catch (UncheckedIOException e) {
            throw new BaidDataException(source + ": not readable as CSV (" + e.getCause().getMessage() + ")");
        } catch (IllegalStateException e) {
            throw new BaidDataException(source + ": not readable as CSV (" + e.getMessage() + ")");
        }
        return rows;
    }
}
