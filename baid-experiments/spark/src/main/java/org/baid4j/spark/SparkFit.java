package org.baid4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.baid4j.core.plan.TrainingLoss;
import org.baid4j.training.engine.ClusterFit;
import org.baid4j.training.engine.FitStrategy;
import org.baid4j.training.engine.StepResult;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * DL4J's Spark parameter averaging ({@link ParameterAveragingTrainingMaster}) as the engine's fit
 * strategy. The driver reads the task's batches; each round takes {@code workers x
 * averagingFrequency} of them, writes them as DataSet files under the exchange folder (which the
 * workers read: a shared path, as DL4J's Spark guide recommends), and Spark's workers fit
 * {@code averagingFrequency} batches each from the driver's parameters and Adam moments, which
 * then become the mean of theirs. Validation, checkpoints and the run folder stay the driver's.
 */
public final class SparkFit implements FitStrategy {
    private final JavaSparkContext spark;
    private final int workers;
    private final int averagingFrequency;
    private final Path exchange;
    private final ScheduleCounters counters = new ScheduleCounters();
    private long round;

    public SparkFit(JavaSparkContext spark, int workers, int averagingFrequency, Path exchange) {
        if (workers < 1 || averagingFrequency < 1) {
            throw new IllegalArgumentException("workers and averaging frequency must be at least 1, got " + workers
                    + " and " + averagingFrequency);
        }
        this.spark = spark;
        this.workers = workers;
        this.averagingFrequency = averagingFrequency;
        this.exchange = exchange.resolve(spark.sc().applicationId());   // runs sharing a folder keep apart
    }

    /**
     * A Spark context on {@code master} (--spark's value), with what SAAN's workers need where
     * neither a spark.* system property nor spark-submit has set it.
     */
    public static JavaSparkContext context(String master) {
        SparkMasters.check(master);
        SparkConf conf = new SparkConf().setAppName("baid4j train").setMaster(master);
        String jar = System.getProperty("baid4j.spark.jar");
        if (jar != null && !conf.contains("spark.jars")) {
            conf.set("spark.jars", jar);   // the executors get baid4j from the driver
        }
        conf.setIfMissing("spark.executor.extraJavaOptions", JvmOptions.EXECUTOR);
        conf.setIfMissing("spark.executor.memory", "4g");          // deserialised parameters and results, on the heap
        conf.setIfMissing("spark.driver.maxResultSize", "8g");     // each worker returns SAAN's parameters and Adam's moments
        conf.setIfMissing("spark.task.maxFailures", "1");   // a failed fit is a bug to see, not to retry
        return new JavaSparkContext(conf);
    }

    @Override
    public void fitEpoch(ComputationGraph graph, Iterator<MultiDataSet> batches, OwnStep ownStep, Steps steps) {
        TrainingMaster<?, ?> averaging = null;
        SparkComputationGraph net = null;
        try {
            Files.createDirectories(exchange);
            while (batches.hasNext()) {
                List<MultiDataSet> batch = new ArrayList<>();
                while (batches.hasNext() && batch.size() < workers * averagingFrequency) {
                    batch.add(batches.next());
                }
                if (net == null) {
                    averaging = new ParameterAveragingTrainingMaster.Builder(workers, FitStrategy.examples(batch.get(0)))
                            .batchSizePerWorker(FitStrategy.examples(batch.get(0)))
                            .averagingFrequency(averagingFrequency)
                            .workerPrefetchNumBatches(0)
                            .saveUpdater(true)
                            .repartionData(Repartition.Never)   // each worker takes its batches in order
                            .collectTrainingStats(false)
                            .trainingHooks(counters)
                            .build();
                    net = new SparkComputationGraph(spark, graph, averaging);
                }
                steps.done(fitRound(graph, net, batch), batch.stream().mapToInt(FitStrategy::examples).sum());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (averaging != null) {
                averaging.deleteTempFiles(spark);
            }
        }
    }

    private StepResult fitRound(ComputationGraph graph, SparkComputationGraph net, List<MultiDataSet> batch)
            throws IOException {
        List<Path> files = new ArrayList<>();
        try {
            for (int i = 0; i < batch.size(); i++) {
                Path file = exchange.resolve(String.format(Locale.ROOT, "round-%06d-%03d.bin", round, i));
                batch.get(i).save(file.toFile());
                files.add(file);
            }
            round++;
            int epoch = graph.getConfiguration().getEpochCount();
            double penalty = TrainingLoss.decayTerm(graph);   // the workers run DL4J's own graph, which adds it
            counters.set(graph.getConfiguration());
            net.fitPathsMultiDataSet(spark.parallelize(files.stream().map(Path::toString).toList(), workers));
            graph.getConfiguration().setEpochCount(epoch);   // fitPaths counts an epoch per call; the engine counts them
            // The workers' mean loss on their last batch, without the L2 penalty, as the local fit reports it.
            return StepResult.loss(net.getScore() - penalty);
        } finally {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
        }
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Spark parameter averaging on %s, %d workers, averaging every %d rounds, exchange %s",
                spark.master(), workers, averagingFrequency, exchange);
    }

    @Override
    public void close() {
        spark.stop();
        try {
            Files.deleteIfExists(exchange);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Found by the engine's {@link ClusterFit#spark()}. */
    public static final class Factory implements ClusterFit {
        @Override
        public FitStrategy connect(String master, int workers, int averagingFrequency, Path exchange) {
            return new SparkFit(context(master), workers, averagingFrequency, exchange);
        }
    }
}
