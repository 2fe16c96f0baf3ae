package org.baid4j.testkit;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The heap a parser may allocate on one small untrusted input, measured per thread by the JVM. */
public final class AllocationBound {
    /** Far above what a whole fixture needs (a few MB), far below what a bogus declared size would take. */
    public static final long BYTES = 256L << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private AllocationBound() {
    }

    /** Bytes this thread has allocated so far. */
    public static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Fails when this thread allocated more than {@link #BYTES} since {@code before}. */
    public static void check(long before, String what) {
        long used = allocated() - before;
        assertTrue(used <= BYTES, what + " allocated " + (used >> 20) + " MB, more than the bound of " + (BYTES >> 20) + " MB");
    }
}
