package org.baid4j.scoring;

/** The scorer's queue was full and the caller asked not to wait (a service under more load than it takes). */
public final class QueueFullException extends RuntimeException {
    QueueFullException(int capacity) {
        super("the scoring queue is full (" + capacity + " images waiting)");
    }
}
