package io.tokenservice.endpoint;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/**
 * Where a request comes from, for the failure budgets: the peer address, or, behind a proxy trusted through
 * {@code quarkus.http.proxy.*} ({@code proxy-address-forwarding}, {@code trusted-proxies}), the address it
 * forwarded; an untrusted client's {@code X-Forwarded-For} is never read.
 */
public final class Sources {

    private Sources() {
    }

    public static String of(HttpServerRequest request) {
        SocketAddress address = request.remoteAddress();
        return address == null || address.hostAddress() == null ? "unknown" : address.hostAddress();
    }
}
