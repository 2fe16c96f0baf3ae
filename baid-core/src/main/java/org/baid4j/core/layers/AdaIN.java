package org.baid4j.core.layers;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.layers.samediff.SDVertexParams;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

import java.util.Map;

/**
 * Adaptive instance normalisation, as SAAN's style-specific branch uses it: the content features
 * take the per-sample, per-channel mean and spread of the style features,
 * {@code sigma_s * (c - mu_c) / sigma_c + mu_s}, statistics over H x W, sigma the unbiased standard
 * deviation plus {@value #EPSILON} (added after the square root, as the reference does).
 * Inputs: content [B,C,H,W], style [B,C,H,W]. No parameters, no activation (the graph adds ReLU).
 * The CPU plan runs it in closed form ({@link org.baid4j.core.plan.layers.ClosedFormAdaIN}).
 */
public class AdaIN extends ScopedSameDiffVertex {
    public static final double EPSILON = 1e-6;
    public static final String CONTENT = "content";
    public static final String STYLE = "style";

    @Override
    public void defineParametersAndInputs(SDVertexParams params) {
        params.defineInputs(CONTENT, STYLE);
    }

    @Override
    public SDVariable defineVertex(SameDiff sd, Map<String, SDVariable> inputs, Map<String, SDVariable> params,
                                   Map<String, SDVariable> masks) {
        SDVariable content = inputs.get(CONTENT);
        SDVariable style = inputs.get(STYLE);
        // Non-negative axes only: M2.1 reduces wrongly over negative ones.
        SDVariable contentMean = content.mean(true, 2, 3);
        SDVariable contentStd = content.std(null, true, true, 2, 3).add(EPSILON);
        SDVariable styleMean = style.mean(true, 2, 3);
        SDVariable styleStd = style.std(null, true, true, 2, 3).add(EPSILON);
        return content.sub(contentMean).div(contentStd).mul(styleStd).add(styleMean);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... inputs) throws InvalidInputTypeException {
        if (inputs.length != 2 || !inputs[0].equals(inputs[1])) {
            throw new InvalidInputTypeException("AdaIN needs content and style of one shape, got "
                    + java.util.Arrays.toString(inputs));
        }
        return inputs[0];
    }

    @Override
    public int minVertexInputs() {
        return 2;
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }
}
