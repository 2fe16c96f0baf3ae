package org.baid4j.data.baid;

import org.baid4j.data.ImageFiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A BAID root in the reference's layout: {@code dataset/{train,val,test}_set.csv} and
 * {@code images/}. A root's own CSV files override the vendored ones, so only the images are
 * required. {@link #validate} checks a split before any long work starts.
 */
public final class BaidRoot {
    private final Path root;

    private BaidRoot(Path root) {
        this.root = root;
    }

    /** A root that must exist and hold an {@code images/} directory. */
    public static BaidRoot open(Path root) throws BaidDataException {
        if (!Files.isDirectory(root)) {
            throw new BaidDataException(root + ": no such directory (expected a BAID root with images/)");
        }
        if (!Files.isDirectory(root.resolve("images"))) {
            throw new BaidDataException(root + ": no images/ directory in this BAID root (run 'baid download --root "
                    + root + "' first)");
        }
        return new BaidRoot(root);
    }

    /** A root for downloading into: created if needed. */
    public static BaidRoot create(Path root) throws java.io.IOException {
        Files.createDirectories(root.resolve("images"));
        return new BaidRoot(root);
    }

    public Path path() {
        return root;
    }

    public Path imagesDir() {
        return root.resolve("images");
    }

    /** Where the decoded cache of a split at a size lives ({@code ROOT/cache/SPLIT-SIZE.bin}). */
    public Path cacheFile(BaidSplit split, int size) {
        return root.resolve("cache").resolve(split.label() + "-" + size + ".bin");
    }

    public Path image(String name) {
        return imagesDir().resolve(name);
    }

    /** The root's own split file, if it has one. */
    public Path ownLabelFile(BaidSplit split) {
        return root.resolve("dataset").resolve(split.fileName());
    }

    /** The split's labels: the root's own CSV if present, else BAID's published one. */
    public List<BaidLabel> labels(BaidSplit split) throws BaidDataException {
        Path own = ownLabelFile(split);
        if (!Files.exists(own)) {
            return BaidLabels.vendored(split);
        }
        List<BaidLabel> labels = BaidLabels.read(own);
        if (labels.isEmpty()) {
            throw new BaidDataException(own + ": the " + split.label() + " split has a header and no rows");
        }
        return labels;
    }

    /** Where {@link #labels} reads from, for logs and run configs. */
    public String labelSource(BaidSplit split) {
        Path own = ownLabelFile(split);
        return Files.exists(own) ? own.toString() : BaidLabels.vendoredName(split.fileName());
    }

    /** A split checked against the images on disk. */
    public record ValidatedSplit(BaidSplit split, List<BaidLabel> usable, Map<String, String> leftOut) {
    }

    /**
     * The split's labels (subset applied), with every image checked to be present and to look like
     * a complete image file. Problems are refused with a count and the first names, unless
     * {@code skipMissing}, which leaves those images out and says how many.
     */
    public ValidatedSplit validate(BaidSplit split, SubsetSpec subset, long seed, boolean skipMissing)
            throws BaidDataException {
        List<BaidLabel> labels = Subsets.stratified(labels(split), subset, seed);
        Map<String, String> problems = new ConcurrentHashMap<>();
        labels.parallelStream().forEach(l -> {
            String p = ImageFiles.quickProblem(image(l.image()));
            if (p != null) {
                problems.put(l.image(), p);
            }
        });
        List<BaidLabel> usable = new ArrayList<>(labels.size());
        Map<String, String> leftOut = new java.util.LinkedHashMap<>();
        for (BaidLabel l : labels) {
            String p = problems.get(l.image());
            if (p == null) {
                usable.add(l);
            } else {
                leftOut.put(l.image(), p);
            }
        }
        if (!leftOut.isEmpty() && !skipMissing) {
            StringBuilder sb = new StringBuilder();
            sb.append(imagesDir()).append(": ").append(leftOut.size()).append(" of ").append(labels.size())
                    .append(" images of the ").append(split.label()).append(" split are missing or unusable (");
            leftOut.entrySet().stream().limit(5).forEach(e -> sb.append(e.getKey()).append(": ").append(e.getValue()).append("; "));
            sb.setLength(sb.length() - 2);
            sb.append(leftOut.size() > 5 ? "; ...)" : ")");
            sb.append(". Run 'baid download' to fetch them, or pass --skip-missing to use the rest.");
            throw new BaidDataException(sb.toString());
        }
        return new ValidatedSplit(split, usable, leftOut);
    }
}
