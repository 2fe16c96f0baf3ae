package org.baid4j.core.layers;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** AdaIN's numbers are checked against PyTorch in weights-import's ReferenceBlockParityTest. */
class AdaINTest {

    /** A model file written when AdaIN was a SameDiff vertex holds it so: it still loads, as the plain vertex. */
    @Test
    void theSameDiffFormOfOlderFilesLoads() throws Exception {
        String older = """
                {"@class": "org.baid4j.core.layers.AdaIN", "biasUpdater": null, "dataType": null,
                 "gradientNormalization": "None", "gradientNormalizationThreshold": 1.0, "layerName": null, "name": null,
                 "regularization": [{"@class": "org.nd4j.linalg.learning.regularization.L2Regularization",
                                     "l2": {"@class": "org.nd4j.linalg.schedule.FixedSchedule", "value": 5.0E-4}}],
                 "regularizationBias": [],
                 "updater": {"@class": "org.nd4j.linalg.learning.config.NoOp"},
                 "vertexParams": {"biasParams": {}, "inputs": ["content", "style"], "weightParams": {}}}
                """;
        assertInstanceOf(AdaIN.class, JsonMappers.getMapper().readValue(older, GraphVertex.class));
    }
}
