package org.baid4j.data.download;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

/** HTTP(S) proxy settings from a URL or from the usual environment variables. */
public final class Proxies {
    private Proxies() {
    }

    /** {@code http://host:port} (the scheme may be left out; the port defaults to 80, 443 for https). */
    public static Proxy parse(String url) {
        String u = url.contains("://") ? url : "http://" + url;
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("proxy '" + url + "' is not a URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("proxy '" + url + "': only HTTP proxies are supported");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("proxy '" + url + "' is not a URL of the form http://host:port");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("proxy '" + url + "' has a path or query; give http://host:port");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : (scheme.equals("https") ? 443 : 80);
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(), port));
    }

    /**
     * The proxy the environment names for addresses of {@code scheme}: HTTPS_PROXY / https_proxy for
     * https, HTTP_PROXY / http_proxy for http, ALL_PROXY / all_proxy for both; none when absent.
     */
    public static Proxy fromEnvironment(Map<String, String> env, String scheme) {
        String[] names = "https".equals(scheme)
                ? new String[]{"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}
                : new String[]{"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"};
        for (String name : names) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return parse(value.trim());
            }
        }
        return Proxy.NO_PROXY;
    }

    /** Whether NO_PROXY / no_proxy (comma-separated hosts or .domain suffixes, or *) exempts {@code host}. */
    public static boolean bypassed(Map<String, String> env, String host) {
        String list = env.getOrDefault("no_proxy", env.getOrDefault("NO_PROXY", ""));
        for (String entry : list.split(",")) {
            String e = entry.trim().toLowerCase(java.util.Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            String h = host.toLowerCase(java.util.Locale.ROOT);
            if (e.equals("*") || h.equals(e) || (e.startsWith(".") ? h.endsWith(e) : h.endsWith("." + e))) {
                return true;
            }
        }
        return false;
    }
}
