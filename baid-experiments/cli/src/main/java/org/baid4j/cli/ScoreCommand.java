package org.baid4j.cli;

import org.baid4j.core.io.OutputFile;
import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.scoring.ImageInputs;
import org.baid4j.scoring.Aesthetics;
import org.baid4j.scoring.Scorer;
import org.baid4j.weights.ModelOpener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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

    /**
     * The model a command's --model names: {@value #UNTRAINED}, a seeded untrained SAAN at
     * {@code inputSize} (said, since its scores mean nothing), or a file opened by its content.
     */
    static ModelOpener.Opened openModel(String model, int inputSize) throws java.io.IOException {
        if (UNTRAINED.equals(model)) {
            LOG.warn("--model {}: a seeded, untrained SAAN; its scores exercise the pipeline and mean nothing", UNTRAINED);
            return new ModelOpener.Opened(SaanModel.create(SaanConfig.reference().withInputSize(inputSize)), null);
        }
        return ModelOpener.open(Path.of(model), inputSize);
    }

    @Override
    public Integer call() throws Exception {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        }
        List<String> images = ImageInputs.expand(inputs);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no image files found in " + inputs);
        }
        if (out != null) {
            OutputFile.refuseInput("--out", out, images.stream().map(Path::of).toList());
            if (!UNTRAINED.equals(model)) {
                OutputFile.refuseInput("--out", out, List.of(Path.of(model)));
            }
        }
        ModelOpener.Opened opened = openModel(model, inputSize);
        if (opened.report() != null) {
            LOG.info("imported {}", opened.report().summary().trim());
        }
        int decodeThreads = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        AtomicInteger failures = new AtomicInteger();
        try (ScoreSink csv = out == null ? ScoreSink.stdout() : ScoreSink.file(out);
             Scorer scorer = Aesthetics.builder().setModel(opened.model()).optMaxBatch(batch).optDecodeThreads(decodeThreads)
                     .build();
             Progress progress = Progress.start("scoring", images.size())) {
            csv.line("path,score");
            scorer.score(images.stream().map(Path::of).toList(), r -> {
                if (r.isScored()) {
                    csv.line(Csv.field(r.source()) + "," + String.format(Locale.ROOT, "%.6f", r.score()));
                } else {
                    failures.incrementAndGet();
                    System.err.println("error: " + r.failure().getMessage());
                }
                progress.step();
            });
            csv.finish();
        }
        if (failures.get() > 0) {
            System.err.printf("%d of %d images could not be scored%n", failures.get(), images.size());
            return Baid.SOME_INPUTS_FAILED;
        }
        return 0;
    }

    /**
     * Where the CSV goes: stdout, checked for write errors (a closed pipe), or --out, filled beside
     * and renamed at the end, so an interrupted run leaves the previous file as it was.
     */
    private static final class ScoreSink implements AutoCloseable {
        private final Writer writer;
        private final OutputFile file;
        private IOException error;

        private ScoreSink(Writer writer, OutputFile file) {
            this.writer = writer;
            this.file = file;
        }

        static ScoreSink stdout() {
            return new ScoreSink(new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8)), null);
        }

        static ScoreSink file(Path out) throws IOException {
            OutputFile file = OutputFile.create(out);
            return new ScoreSink(file.writer(), file);
        }

        void line(String line) {
            if (error == null) {
                try {
                    writer.write(line);
                    writer.write('\n');
                } catch (IOException e) {
                    error = e;
                }
            }
        }

        void finish() throws IOException {
            if (error == null) {
                try {
                    writer.flush();
                } catch (IOException e) {
                    error = e;
                }
            }
            if (error == null && file == null && System.out.checkError()) {
                error = new IOException("the reader went away (a closed pipe?)");   // PrintStream keeps errors to itself
            }
            if (error != null) {
                throw new IOException((file == null ? "stdout" : file.temporary().toString()) + ": could not write the"
                        + " scores (" + error.getMessage() + ")", error);
            }
            if (file != null) {
                writer.close();
                file.commit();
            }
        }

        @Override
        public void close() throws IOException {
            if (file != null) {
                try {
                    writer.close();
                } finally {
                    file.close();
                }
            }
        }
    }
}
