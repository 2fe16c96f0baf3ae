package org.baid4j.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * --spark's value checked before Spark is started: a master URL Spark knows, and for a standalone
 * cluster a master that answers. Spark itself takes a minute to give up on an absent master and
 * says so in a page of stack traces, after the run folder exists.
 */
public final class SparkMasters {
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9][0-9]*)(,[0-9]+)?])?");
    private static final int CONNECT_MILLIS = 5_000;

    private SparkMasters() {
    }

    /** Refuses a master URL Spark does not know, or a standalone master no one answers at, in one line. */
    public static void check(String master) {
        if (LOCAL.matcher(master).matches() || master.equals("yarn") || master.startsWith("k8s://")
                || master.startsWith("mesos://")) {
            return;
        }
        if (!master.startsWith("spark://")) {
            throw new IllegalArgumentException("--spark takes local[N], spark://HOST:PORT, yarn or k8s://..., got '"
                    + master + "'");
        }
        List<String> refused = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            URI address;
            try {
                address = URI.create("spark://" + hostPort);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--spark " + master + ": '" + hostPort + "' is not HOST:PORT");
            }
            if (address.getHost() == null || address.getPort() < 1) {
                throw new IllegalArgumentException("--spark " + master + ": '" + hostPort + "' is not HOST:PORT");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), CONNECT_MILLIS);
                return;   // one master of a high-availability list answering is enough
            } catch (IOException e) {
                refused.add(hostPort + " (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
            }
        }
        throw new IllegalArgumentException("--spark " + master + ": no Spark master answers at " + String.join(", ", refused)
                + "; start one (Spark's sbin/start-master.sh) or check the address");
    }
}
