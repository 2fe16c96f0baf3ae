package org.baid4j.data;

import org.baid4j.data.baid.BaidLabel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A BAID root made from the example images, with the layout and CSV files of the real one. */
public final class TinyBaid {
    /** The repository's examples/images, found from any module's folder (tests run in their module's). */
    public static final Path EXAMPLES = examples();

    private TinyBaid() {
    }

    private static Path examples() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path images = d.resolve("examples").resolve("images");
            if (Files.isDirectory(images)) {
                return images;
            }
        }
        throw new IllegalStateException("no examples/images above " + Path.of("").toAbsolutePath());
    }

    /** Copies the examples into {@code root}/images as 1.jpg, 2.png, ... and writes dataset/test_set.csv. */
    public static List<BaidLabel> create(Path root) throws IOException {
        Files.createDirectories(root.resolve("images"));
        Files.createDirectories(root.resolve("dataset"));
        List<Path> examples;
        try (Stream<Path> s = Files.list(EXAMPLES)) {
            examples = s.sorted().toList();
        }
        List<BaidLabel> labels = new ArrayList<>();
        StringBuilder csv = new StringBuilder("image,score\n");
        for (int i = 0; i < examples.size(); i++) {
            String file = examples.get(i).getFileName().toString();
            String name = (i + 1) + file.substring(file.lastIndexOf('.'));
            Files.copy(examples.get(i), root.resolve("images").resolve(name));
            double score = Math.round(i * 10.0 / (examples.size() - 1) * 1000) / 1000.0;
            labels.add(new BaidLabel(name, score));
            csv.append(name).append(',').append(score).append('\n');
        }
        Files.writeString(root.resolve("dataset").resolve("test_set.csv"), csv);
        return labels;
    }

    /** As {@link #create}, with the same ten images as the train, val and test splits: a root a run can train on. */
    public static Path withAllSplits(Path root) throws IOException {
        create(root);
        Path dataset = root.resolve("dataset");
        Files.copy(dataset.resolve("test_set.csv"), dataset.resolve("train_set.csv"));
        Files.copy(dataset.resolve("test_set.csv"), dataset.resolve("val_set.csv"));
        return root;
    }
}
