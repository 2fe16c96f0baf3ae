package org.baid4j.training.engine;

import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * A fit strategy on a cluster, found at run time so that the default build carries no Spark:
 * module baid-spark provides DL4J's Spark parameter averaging ({@code org.baid4j.spark.SparkFit}).
 */
public interface ClusterFit {

    /**
     * Connects to {@code master} (a Spark master URL, or local[N]) and returns the strategy; the
     * caller closes it, which stops the Spark context. Each averaging round's batches are written
     * as DataSet files under {@code exchange}, which every worker must read (a shared folder).
     */
    FitStrategy connect(String master, int workers, int averagingFrequency, Path exchange);

    /** The Spark strategy, or a refusal that says how to get it. */
    static ClusterFit spark() {
        return ServiceLoader.load(ClusterFit.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "this build has no Spark support: ./baid train --spark builds it (Maven profile spark, module"
                        + " baid-experiments/spark); a library user adds org.baid4j:baid-spark"));
    }
}
