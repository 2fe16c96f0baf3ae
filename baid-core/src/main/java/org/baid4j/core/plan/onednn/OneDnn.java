package org.baid4j.core.plan.onednn;

import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;

/**
 * Whether oneDNN runs here: ND4J's CPU backend with its oneDNN build (through DL4J's helper check,
 * which M2.1 looks up under a class name that no longer exists: see
 * {@link org.nd4j.nativeblas.Nd4jCpu}), and the natives of JavaCPP's oneDNN preset for the
 * primitives this project calls itself. The CPU plan's layers take oneDNN's helpers when this
 * holds; DL4J's own switch for them (a JVM-wide property, off by default) is left alone.
 */
public final class OneDnn {
    private OneDnn() {
    }

    public static boolean available() {
        return BaseMKLDNNHelper.mklDnnEnabled() && OneDnnPrimitives.available();
    }
}
