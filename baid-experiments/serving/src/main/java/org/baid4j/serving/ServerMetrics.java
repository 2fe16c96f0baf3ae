package org.baid4j.serving;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.baid4j.scoring.Scorer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * What the server counts, in Prometheus' text format (Prometheus' own Java client): requests by
 * endpoint and status, failures by kind, request latency, the batches the model ran and the queue
 * waiting for it.
 */
final class ServerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests = Counter.builder().name("baid_requests_total")
            .help("HTTP requests answered, by endpoint and status").labelNames("endpoint", "status").register(registry);
    private final Counter failures = Counter.builder().name("baid_failures_total")
            .help("Requests refused or failed, by kind").labelNames("kind").register(registry);
    private final Histogram latency = Histogram.builder().name("baid_request_duration_seconds")
            .help("Time from a request's arrival to its answer, body read and image decoded included")
            .classicOnly().classicUpperBounds(0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30)
            .labelNames("endpoint").register(registry);
    private final Histogram batches = Histogram.builder().name("baid_batch_size")
            .help("Images in each batch the model ran").classicOnly().classicUpperBounds(1, 2, 4, 8, 16, 32, 64)
            .register(registry);
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    ServerMetrics(Scorer scorer) {
        GaugeWithCallback.builder().name("baid_queue_depth").help("Images waiting for the model")
                .callback(cb -> cb.call(scorer.queueDepth())).register(registry);
        GaugeWithCallback.builder().name("baid_queue_capacity").help("Images the queue holds before refusing")
                .callback(cb -> cb.call(scorer.queueCapacity())).register(registry);
        scorer.addListener((size, nanos) -> batches.observe(size));
    }

    void answered(String endpoint, int status, long startNanos) {
        requests.labelValues(endpoint, Integer.toString(status)).inc();
        latency.labelValues(endpoint).observe((System.nanoTime() - startNanos) / 1e9);
    }

    void failed(String kind) {
        failures.labelValues(kind).inc();
    }

    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    String contentType() {
        return writer.getContentType();
    }
}
