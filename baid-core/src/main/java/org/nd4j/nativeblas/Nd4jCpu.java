package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Compatibility shim for Deeplearning4j 1.0.0-M2.1, whose oneDNN layer helpers look up
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment#isUseMKLDNN}. M2.1 renamed that binding to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment#isUseONEDNN}, so without this
 * class the lookup always fails and convolution and batch norm never use oneDNN.
 * Enabled through {@link org.baid4j.core.plan.onednn.OneDnn}. The class name is fixed by DL4J: do not move it.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private final Object binding;
        private final Method isUseOneDnn;

        private Environment() {
            Object b = null;
            Method m = null;
            try {
                // Reflection: baid-core also compiles against the CUDA backend, which lacks this class.
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                b = env.getMethod("getInstance").invoke(null);
                m = env.getMethod("isUseONEDNN");
            } catch (ReflectiveOperationException | LinkageError e) {
                // Not the CPU backend: DL4J then reads "false" and keeps its built-in implementations.
            }
            binding = b;
            isUseOneDnn = m;
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            if (binding == null) {
                return false;
            }
            try {
                return (boolean) isUseOneDnn.invoke(binding);
            } catch (ReflectiveOperationException e) {
                return false;
            }
        }
    }
}
