package org.baid4j.core.plan.onednn;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanGraph;
import org.baid4j.core.optim.OptimiserConfig;
import org.baid4j.core.plan.ExecutionPlan;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Under the CPU plan, oneDNN really runs convolution and BatchNorm in the networks this project builds. */
class OneDnnTest {

    @Test
    void convolutionAndBatchNormGetTheOneDnnHelper() {
        assertTrue(OneDnn.available(), "oneDNN runs here");
        ComputationGraph net = SaanGraph.build(SaanConfig.reference().withInputSize(64), OptimiserConfig.reference(), 1,
                ExecutionPlan.cpu());
        assertHelper(net.getLayer("sab/content/conv1"), "MKLDNNConvHelper");
        assertHelper(net.getLayer("gab/conv1"), "MKLDNNConvHelper");          // frozen, wrapped
        assertHelper(net.getLayer("sab/content/bn1"), "OneDnnBatchNormHelper");
        assertHelper(net.getLayer("gab/layer1.0.bn1"), "OneDnnBatchNormHelper");
    }

    private static void assertHelper(Layer layer, String expected) {
        while (layer instanceof BaseWrapperLayer) {
            layer = ((BaseWrapperLayer) layer).getUnderlying();
        }
        Object helper = ((BaseLayer<?>) layer).getHelper();
        assertNotNull(helper, layer.conf().getLayer().getLayerName() + " has no helper");
        assertEquals(expected, helper.getClass().getSimpleName());
    }
}
