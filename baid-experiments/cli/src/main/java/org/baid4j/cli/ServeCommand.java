package org.baid4j.cli;

import org.baid4j.scoring.Aesthetics;
import org.baid4j.scoring.Scorer;
import org.baid4j.serving.ScoringServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code baid serve}: a model behind HTTP, micro-batched; SIGTERM drains and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true, header = "Score images over HTTP: POST an image, get its score as JSON.",
        description = {"Serve a model over HTTP (Jetty): POST /score (an image as the body, or a multipart file), POST",
                "/score/batch (several files), GET /health, /ready and /metrics (Prometheus). Requests waiting together",
                "share a batch. Binds to 127.0.0.1 unless --host says otherwise. SIGTERM (or Ctrl-C) answers the",
                "requests in flight, refuses new ones, and exits 0."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = {"The authors' .pth, a baid4j model file, or '" + ScoreCommand.UNTRAINED + "' (a seeded"
                    + " untrained SAAN: a smoke test)."})
    String model;

    @Option(names = "--input-size", defaultValue = "224", paramLabel = "PX", description = "Input side for a .pth (default ${DEFAULT-VALUE}).")
    int inputSize;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0: any free one, printed).")
    int port;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "N",
            description = "Most images a batch holds (default ${DEFAULT-VALUE}; DJL Serving's batch_size).")
    int maxBatch;

    @Option(names = "--max-delay-ms", defaultValue = "5", paramLabel = "MS",
            description = "How long a batch waits for more images after its first (default ${DEFAULT-VALUE}; DJL Serving's max_batch_delay).")
    int maxDelayMs;

    @Option(names = "--queue", defaultValue = "64", paramLabel = "N",
            description = "Images waiting for the model before requests get 503 (default ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-body-mb", defaultValue = "32", paramLabel = "MB", description = "Largest request body (default ${DEFAULT-VALUE}).")
    int maxBodyMb;

    @Option(names = "--max-megapixels", defaultValue = "50", paramLabel = "MP",
            description = "Largest image, by the size its header claims (default ${DEFAULT-VALUE}).")
    int maxMegapixels;

    @Option(names = "--threads", paramLabel = "N", description = "Decoding threads of the scorer (default: the number of cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        Scorer scorer;
        Aesthetics.Builder builder = Aesthetics.builder().optMaxBatch(maxBatch).optMaxDelay(Duration.ofMillis(maxDelayMs))
                .optQueueCapacity(queue).optMaxPixels(maxMegapixels * 1_000_000L)
                .optDecodeThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
        builder.setModel(ScoreCommand.openModel(model, inputSize).model());
        scorer = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        try (scorer; ScoringServer server = ScoringServer.builder().setScorer(scorer).optHost(host).optPort(port)
                .optMaxBodyBytes(maxBodyMb * (1L << 20)).build().start()) {
            System.out.println("serving " + model + " at " + server.uri() + " (POST /score, POST /score/batch, GET /health,"
                    + " /ready, /metrics)");
            System.out.flush();
            // SIGTERM and Ctrl-C drain: the in-flight requests are answered, then the process exits 0.
            for (String name : new String[]{"TERM", "INT"}) {
                Signal.handle(new Signal(name), s -> stopped.countDown());
            }
            stopped.await();
            System.err.println("draining: answering the requests in flight, refusing new ones");
        }
        System.err.println("stopped");
        return 0;
    }
}
