package org.baid4j.core.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Map;

/**
 * The attention core of the embedded-Gaussian non-local block (Wang et al.), parameter-free:
 * {@code y = softmax(theta^T phi) g}, with theta [B,C,H,W] the queries at every position and
 * phi, g [B,C,h,w] the sub-sampled keys and values. Output [B,C,H,W].
 * The block's 1x1 convolutions, pooling and its BatchNorm are ordinary DL4J layers around this
 * vertex (see {@code SaanGraph#nonLocalBlock}) so that BN keeps its running statistics.
 */
public class NonLocalAttention extends ScopedSameDiffVertex {
    public static final String THETA = "theta";
    public static final String PHI = "phi";
    public static final String G = "g";

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs(THETA, PHI, G);
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        SDVariable theta = inputs.get(THETA);
        SDVariable phi = inputs.get(PHI);
        SDVariable g = inputs.get(G);
        long[] queryShape = theta.getShape();   // [-1, C, H, W]: placeholders know all but the batch
        long[] keyShape = phi.getShape();
        long channels = queryShape[1];
        long queries = queryShape[2] * queryShape[3];
        long keys = keyShape[2] * keyShape[3];

        SDVariable thetaFlat = sd.reshape(theta, -1, channels, queries);         // [B, C, HW]
        SDVariable phiFlat = sd.reshape(phi, -1, channels, keys);                // [B, C, hw]
        SDVariable gFlat = sd.reshape(g, -1, channels, keys);                    // [B, C, hw]
        SDVariable f = sd.mmul(thetaFlat, phiFlat, true, false, false);          // [B, HW, hw]
        SDVariable attention = sd.nn().softmax(f, 2);
        SDVariable y = sd.mmul(gFlat, attention, false, true, false);            // [B, C, HW] = (f g^T)^T
        return sd.reshape(y, -1, channels, queryShape[2], queryShape[3]);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 3) {
            throw new InvalidInputTypeException("Non-local attention takes theta, phi and g; got " + inputs.length);
        }
        return inputs[0];
    }

    @Override
    public int minVertexInputs() {
        return 3;
    }

    @Override
    public int maxVertexInputs() {
        return 3;
    }
}
