package org.baid4j.core.plan.layers;

/**
 * A layer that keeps what it derives from its parameters (weights in a primitive's layout) once
 * they are declared fixed ({@link org.baid4j.core.plan.PlannedGraph#fixParameters}).
 */
public interface FixedParameters {
    /** Whether the parameters are taken to be constant from now on. */
    void fixParameters(boolean fixed);

    /** The parameters changed: what was made of them is made again. */
    void parametersChanged();
}
