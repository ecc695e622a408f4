package io.tokenservice.endpoint;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Where a request comes from, for the failure budgets: the peer address, or, behind a proxy trusted through
 * {@code quarkus.http.proxy.*} ({@code proxy-address-forwarding}, {@code trusted-proxies}), the address it
 * forwarded; an untrusted client's {@code X-Forwarded-For} is never read. An IPv6 source is its /64, the block
 * one subscriber holds: every address in it is the same source.
 */
public final class Sources {

    private Sources() {
    }

    public static String of(HttpServerRequest request) {
        SocketAddress address = request.remoteAddress();
        String host = address == null ? null : address.hostAddress();
        if (host == null) {
            return "unknown";
        }
        return host.indexOf(':') < 0 ? host : ipv6Prefix(host);
    }

    /** The first 64 bits of an IPv6 address, e.g. {@code 2001:db8:0:1::/64}. */
    static String ipv6Prefix(String host) {
        try {
            byte[] bytes = java.net.InetAddress.getByName(host).getAddress();
            if (bytes.length != 16) {
                return host;
            }
            java.util.Arrays.fill(bytes, 8, 16, (byte) 0);
            return java.net.InetAddress.getByAddress(bytes).getHostAddress() + "/64";
        } catch (java.net.UnknownHostException e) {
            return host;
        }
    }
}
