package org.baid4j.cli;

import org.baid4j.core.io.OutputFile;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.pretraining.BgrImage;
import org.baid4j.data.pretraining.Degradation;
import org.baid4j.data.pretraining.Degradations;
import org.baid4j.data.pretraining.PretrainingImages;
import org.baid4j.training.report.DegradationSheet;
import org.baid4j.scoring.ImageInputs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/** {@code baid degrade}: the pretraining's operations on images, as files and a labelled contact sheet. */
@Command(name = "degrade", header = "Render the pretraining's degradations of images, with a contact sheet.", mixinStandardHelpOptions = true,
        description = {"Render the pretraining's degradations of each image (read and resized as the reference's",
                "pretraining reads it: OpenCV, INTER_LINEAR) into OUT/<image stem>/<NN>.png and a labelled contact sheet",
                "OUT/<image stem>/sheet.png. CutMix takes its square from the next image given (a mirrored copy when",
                "there is one image). Unreadable files get one line on stderr; the exit code is then 1."})
public final class DegradeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IMAGE_OR_DIR", arity = "1..*", description = "Images, or directories of images.")
    List<String> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the images.")
    Path out;

    @Option(names = "--ops", defaultValue = "0-29", paramLabel = "LIST", description = "Operations, e.g. 0-29 or 3,4,24-26 (default ${DEFAULT-VALUE}).")
    String ops;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random operations (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", defaultValue = "224", description = "Side the images are resized to (default ${DEFAULT-VALUE}, the reference's).")
    int size;

    @Override
    public Integer call() throws Exception {
        List<Degradation> chosen = parseOps(ops);
        List<String> images = ImageInputs.expand(inputs);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image files found in " + inputs);
        }
        Map<String, String> folders = folders(images);
        List<Path> given = images.stream().map(Path::of).toList();
        for (Map.Entry<String, String> f : folders.entrySet()) {
            Path dir = out.resolve(f.getValue());
            for (Degradation op : chosen) {
                OutputFile.refuseInput("--out", dir.resolve(png(op)), given);
            }
            OutputFile.refuseInput("--out", dir.resolve("sheet.png"), given);
        }
        List<String> readable = new ArrayList<>();
        List<BgrImage> pixels = new ArrayList<>();
        int failures = 0;
        for (String image : images) {
            try {
                pixels.add(PretrainingImages.read(Path.of(image), size));
                readable.add(image);
            } catch (ImageDecodeException e) {
                failures++;
                System.err.println("error: " + e.getMessage());
            }
        }
        for (int i = 0; i < readable.size(); i++) {
            BgrImage image = pixels.get(i);
            BgrImage partner = readable.size() > 1 ? pixels.get((i + 1) % readable.size()) : mirrored(image);
            String stem = stem(Path.of(readable.get(i)));
            Path dir = out.resolve(folders.get(readable.get(i)));
            Files.createDirectories(dir);
            Map<Degradation, BgrImage> rendered = new LinkedHashMap<>();
            for (Degradation op : chosen) {
                BgrImage d = Degradations.apply(op, image, partner, new SplittableRandom(seed * 31 + op.number()));
                rendered.put(op, d);
                DegradationSheet.writePng(d, dir.resolve(png(op)));
            }
            DegradationSheet.writeSheet(rendered, stem + ": the pretraining's degradations", dir.resolve("sheet.png"));
            System.out.println(dir.resolve("sheet.png"));
        }
        if (failures > 0) {
            System.err.printf("%d of %d images could not be read%n", failures, images.size());
            return Baid.SOME_INPUTS_FAILED;
        }
        return 0;
    }

    /** "0-29", "3,4,24-26": operations in ascending order; a number outside 0-29 is an error naming it. */
    static List<Degradation> parseOps(String text) {
        TreeSet<Integer> numbers = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    int from = operation(Integer.parseInt(p.substring(0, dash).strip()));
                    int to = operation(Integer.parseInt(p.substring(dash + 1).strip()));
                    if (to < from) {
                        throw new IllegalArgumentException("--ops: range " + p + " runs backwards");
                    }
                    for (int k = from; k <= to; k++) {
                        numbers.add(k);
                    }
                } else {
                    numbers.add(operation(Integer.parseInt(p)));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--ops: '" + p + "' is not an operation number or range (e.g. 0-29 or 3,24-26)");
            }
        }
        List<Degradation> out = new ArrayList<>();
        for (int n : numbers) {
            out.add(Degradation.of(n));
        }
        return out;
    }

    /** Checked before a range is expanded, so that 0-2147483647 is refused at once. */
    private static int operation(int n) {
        if (n < 0 || n >= Degradation.COUNT) {
            throw new IllegalArgumentException("--ops: operation " + n + " is not one of 0-" + (Degradation.COUNT - 1));
        }
        return n;
    }

    private static BgrImage mirrored(BgrImage image) {
        byte[] in = image.bgr();
        byte[] out = new byte[in.length];
        int w = image.width();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < w; x++) {
                System.arraycopy(in, 3 * (y * w + x), out, 3 * (y * w + (w - 1 - x)), 3);
            }
        }
        return new BgrImage(w, image.height(), out);
    }

    private static String png(Degradation op) {
        return String.format(Locale.ROOT, "%02d.png", op.number());
    }

    /**
     * Each image's folder under --out: its stem, or its file name where two images share a stem
     * (same.jpg, same.png); two images of one file name are refused, naming both.
     */
    static Map<String, String> folders(List<String> images) {
        Map<String, Long> stems = images.stream().collect(java.util.stream.Collectors.groupingBy(
                i -> stem(Path.of(i)), java.util.stream.Collectors.counting()));
        Map<String, String> folders = new LinkedHashMap<>();
        Map<String, String> taken = new java.util.HashMap<>();
        for (String image : images) {
            String stem = stem(Path.of(image));
            String folder = stems.get(stem) > 1 ? Path.of(image).getFileName().toString() : stem;
            String other = taken.putIfAbsent(folder, image);
            if (other != null && !other.equals(image)) {
                throw new IllegalArgumentException(other + " and " + image + " would both be written to --out's "
                        + folder + "/: give them in separate runs");
            }
            folders.put(image, folder);
        }
        return folders;
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
