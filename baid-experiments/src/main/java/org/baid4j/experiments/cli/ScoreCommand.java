package org.baid4j.experiments.cli;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.experiments.scoring.ImageInputs;
import org.baid4j.experiments.scoring.ImageScorer;
import org.baid4j.weights.SaanModelFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/** {@code baid score}: scores images with a SAAN model and writes {@code path,score} CSV. */
@Command(name = "score", mixinStandardHelpOptions = true,
        description = {"Score images with a SAAN model (0-10 scale).",
                "Writes CSV 'path,score' to --out, or to stdout (and nothing else goes there).",
                "Unreadable files get one line on stderr and are left out; the exit code is then 1."})
public final class ScoreCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreCommand.class);

    /** The --model keyword for a seeded, untrained network: the pipeline without weights. */
    public static final String UNTRAINED = "untrained";

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = {"A PyTorch SAAN checkpoint (.pth, imported on the fly) or a DL4J model file;",
                    "'" + UNTRAINED + "' for a seeded untrained SAAN (a smoke test: its scores mean nothing)."})
    String model;

    @Option(names = "--batch", defaultValue = "16", paramLabel = "N", description = "Images per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--out", paramLabel = "CSV", description = "Write the CSV here instead of stdout.")
    Path out;

    @Option(names = "--input-size", defaultValue = "224", paramLabel = "PX",
            description = "Input side for a PyTorch checkpoint (default ${DEFAULT-VALUE}); DL4J files carry theirs.")
    int inputSize;

    @Option(names = "--threads", paramLabel = "N", description = "Decoding threads (default: the number of cores).")
    Integer threads;

    @Parameters(arity = "1..*", paramLabel = "IMAGE_OR_DIR", description = "Image files, or directories of them.")
    List<String> inputs;

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        List<String> images = ImageInputs.expand(inputs);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image files found in " + inputs);
        }
        SaanModelFiles.Opened opened;
        if (UNTRAINED.equals(model)) {
            LOG.warn("--model {}: a seeded, untrained SAAN; its scores exercise the pipeline and mean nothing", UNTRAINED);
            opened = new SaanModelFiles.Opened(SaanModel.create(SaanConfig.reference().withInputSize(inputSize)), null);
        } else {
            opened = SaanModelFiles.open(Path.of(model), inputSize);
        }
        if (opened.report() != null) {
            LOG.info("imported {}", opened.report().summary().trim());
        }
        int decodeThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        AtomicInteger failures = new AtomicInteger();
        try (PrintWriter csv = csvWriter();
             ImageScorer scorer = new ImageScorer(opened.model(), batch, decodeThreads);
             Progress progress = Progress.start("scoring", images.size())) {
            csv.println("path,score");
            scorer.score(images,
                    s -> csv.println(Csv.field(s.path()) + "," + String.format(Locale.ROOT, "%.6f", s.score())),
                    f -> {
                        failures.incrementAndGet();
                        System.err.println("error: " + f.message());
                    },
                    progress::step);
        }
        if (failures.get() > 0) {
            System.err.printf("%d of %d images could not be scored%n", failures.get(), images.size());
            return Baid.SOME_INPUTS_FAILED;
        }
        return 0;
    }

    private PrintWriter csvWriter() throws IOException {
        if (out == null) {
            return new PrintWriter(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), false) {
                @Override
                public void close() {
                    flush();    // stdout stays open
                }
            };
        }
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        return new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8));
    }
}
