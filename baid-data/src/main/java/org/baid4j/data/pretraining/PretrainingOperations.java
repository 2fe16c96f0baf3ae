package org.baid4j.data.pretraining;

import org.baid4j.data.baid.BaidDataException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The three distinct operations each image is pretrained with: BAID's {@code operations.csv}
 * ({@code original,opt1,opt2,opt3}, vendored: all 60,337 images, val and test included), another
 * file of that form, or three drawn with a seed for any other set of images.
 */
public final class PretrainingOperations {
    static final String HEADER = "original,opt1,opt2,opt3";
    private static final String VENDORED = "/org/baid4j/data/baid/operations.csv";

    private final Map<String, Degradation[]> byImage;
    private final String source;

    private PretrainingOperations(Map<String, Degradation[]> byImage, String source) {
        this.byImage = byImage;
        this.source = source;
    }

    /** BAID's own (vendored). */
    public static PretrainingOperations baid() {
        InputStream in = PretrainingOperations.class.getResourceAsStream(VENDORED);
        if (in == null) {
            throw new IllegalStateException("vendored BAID file missing from the jar: operations.csv");
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(r, "baid4j:org/baid4j/data/baid/operations.csv");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of {@code operations.csv}'s form; a bad row is an error naming the file, the line and the problem. */
    public static PretrainingOperations read(Path csv) throws BaidDataException {
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            return parse(r, csv.toString());
        } catch (IOException e) {
            throw new BaidDataException(csv + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Three distinct operations per image, drawn from {@code seed} and the image's place in the list. */
    public static PretrainingOperations drawn(List<String> images, long seed) {
        Map<String, Degradation[]> out = new LinkedHashMap<>();
        SplittableRandom root = new SplittableRandom(seed);
        for (String image : images) {
            SplittableRandom r = root.split();
            int a = r.nextInt(Degradation.COUNT);
            int b;
            do {
                b = r.nextInt(Degradation.COUNT);
            } while (b == a);
            int c;
            do {
                c = r.nextInt(Degradation.COUNT);
            } while (c == a || c == b);
            out.put(image, new Degradation[]{Degradation.of(a), Degradation.of(b), Degradation.of(c)});
        }
        return new PretrainingOperations(out, "drawn with seed " + seed);
    }

    private static PretrainingOperations parse(BufferedReader r, String name) throws IOException, BaidDataException {
        String header = r.readLine();
        if (header == null || !header.strip().equals(HEADER)) {
            throw new BaidDataException(name + ": expected the header '" + HEADER + "', found '" + header + "'");
        }
        Map<String, Degradation[]> out = new LinkedHashMap<>();
        String line;
        int number = 1;
        while ((line = r.readLine()) != null) {
            number++;
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length != 4 || f[0].isBlank()) {
                throw new BaidDataException(name + ": line " + number + ": expected 'image,op,op,op', found '" + line + "'");
            }
            Degradation[] ops = new Degradation[3];
            for (int i = 0; i < 3; i++) {
                try {
                    ops[i] = Degradation.of(Integer.parseInt(f[i + 1].strip()));
                } catch (IllegalArgumentException e) {
                    throw new BaidDataException(name + ": line " + number + " (" + f[0] + "): '" + f[i + 1]
                            + "' is not an operation of 0-29");
                }
            }
            if (ops[0] == ops[1] || ops[0] == ops[2] || ops[1] == ops[2]) {
                throw new BaidDataException(name + ": line " + number + " (" + f[0] + "): the three operations must differ");
            }
            if (out.put(f[0].strip(), ops) != null) {
                throw new BaidDataException(name + ": line " + number + ": " + f[0] + " is listed twice");
            }
        }
        return new PretrainingOperations(out, name);
    }

    /** Where the operations come from, for logs and run configurations. */
    public String source() {
        return source;
    }

    public boolean covers(Collection<String> images) {
        return byImage.keySet().containsAll(images);
    }

    /** The three operations of {@code image}; an image the list lacks is an error naming it. */
    public Degradation[] of(String image) throws BaidDataException {
        Degradation[] ops = byImage.get(image);
        if (ops == null) {
            throw new BaidDataException(source + ": no operations for image " + image);
        }
        return ops.clone();
    }

    public List<String> images() {
        return new ArrayList<>(byImage.keySet());
    }
}
