package org.baid4j.weights;

import java.util.ArrayList;
import java.util.List;

/** Python objects the unpickler produces that have no closer Java counterpart. */
public final class Pickle {
    private Pickle() {
    }

    /** A class or function named by GLOBAL / STACK_GLOBAL. */
    public record Global(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** An instance of a class this reader does not model (argparse.Namespace, numpy scalars, ...). */
    public static final class Instance {
        private final Global type;
        private final List<Object> args;
        private Object state;

        Instance(Global type, List<Object> args) {
            this.type = type;
            this.args = new ArrayList<>(args);
        }

        public Global type() {
            return type;
        }

        public List<Object> args() {
            return args;
        }

        public Object state() {
            return state;
        }

        void setState(Object state) {
            this.state = state;
        }

        @Override
        public String toString() {
            return type + "(...)";
        }
    }

    /** The persistent id torch writes for a storage: ('storage', type, key, location, numel). */
    record PersistentStorage(Global type, String key, String location, long elements) {
    }
}
