package org.baid4j.core.model;

import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The reference's step schedule under the class name that model files written before it moved to
 * {@link org.baid4j.core.optim.ReferenceLearningRate} name in their configuration: they still load.
 */
@Deprecated
public final class ReferenceLearningRate extends org.baid4j.core.optim.ReferenceLearningRate {
    public ReferenceLearningRate(@JsonProperty("base") double base) {
        super(base);
    }
}
