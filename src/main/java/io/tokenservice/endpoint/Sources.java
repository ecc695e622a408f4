package io.tokenservice.endpoint;

import io.quarkus.runtime.StartupEvent;
import io.tokenservice.config.TokenServiceConfig;
import io.tokenservice.net.IpLiterals;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where a request comes from, for the failure budgets: the address of the TCP peer, or, when that peer is a
 * trusted proxy ({@code quarkus.http.proxy.proxy-address-forwarding} with {@code trusted-proxies}), the rightmost
 * address its forwarding header names that is not itself a trusted proxy, across every line of the header:
 * HAProxy's {@code option forwardfor}, nginx, Envoy and cloud load balancers append the address they saw to what
 * the client wrote, so only the entries right of the client's own are the proxies' word. The header is RFC 7239
 * {@code Forwarded} ({@code allow-forwarded}) when present, else {@code X-Forwarded-For} ({@code allow-x-forwarded},
 * on unless only {@code Forwarded} is allowed; never both, since a proxy appending to one passes the other through as
 * written). An IPv6 source is its prefix of
 * {@code token-service.throttle.ipv6-prefix-length} bits (default 64, the block one subscriber holds). Forwarding
 * with no trusted proxy would let every caller choose its own source: the service refuses to start so.
 */
@ApplicationScoped
public class Sources {

    /** The longest identifier a forwarding header's entry may give as a source: more is cut. */
    static final int MAX_IDENTIFIER_LENGTH = 64;

    private final boolean forwarding;
    private final boolean forwarded;
    private final boolean xForwardedFor;
    private final TrustedProxies proxies;
    private final int ipv6PrefixLength;

    @Inject
    Sources(TokenServiceConfig config,
            @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false") boolean forwarding,
            @ConfigProperty(name = "quarkus.http.proxy.allow-forwarded", defaultValue = "false") boolean allowForwarded,
            @ConfigProperty(name = "quarkus.http.proxy.allow-x-forwarded") Optional<Boolean> allowXForwarded,
            @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies") Optional<List<String>> trustedProxies) {
        this(forwarding, allowForwarded, allowXForwarded.orElse(!allowForwarded), trustedProxies.orElse(List.of()),
                config.throttle().ipv6PrefixLength());
    }

    Sources(boolean forwarding, boolean allowForwarded, boolean allowXForwardedFor, List<String> trustedProxies,
            int ipv6PrefixLength) {
        if (ipv6PrefixLength < 1 || ipv6PrefixLength > 128) {
            throw new IllegalStateException("token-service.throttle.ipv6-prefix-length must be from 1 to 128");
        }
        this.forwarding = forwarding;
        this.forwarded = allowForwarded;
        this.xForwardedFor = allowXForwardedFor;
        try {
            this.proxies = TrustedProxies.of(trustedProxies);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("quarkus.http.proxy.trusted-proxies: " + e.getMessage()
                    + "; list the proxies' IP addresses or CIDR blocks (no hostnames, no ports)");
        }
        if (forwarding && allowForwarded && allowXForwardedFor) {
            throw new IllegalStateException("quarkus.http.proxy.allow-forwarded and allow-x-forwarded are both on: a "
                    + "proxy that appends to one header passes the other through as the client wrote it, so a caller "
                    + "could choose its source. Allow the one header your proxy writes");
        }
        if (forwarding && proxies.isEmpty()) {
            throw new IllegalStateException("quarkus.http.proxy.proxy-address-forwarding is true but "
                    + "quarkus.http.proxy.trusted-proxies is empty: every caller could choose the source address its "
                    + "failure budget is kept under. List the proxies' IP addresses or CIDR blocks in "
                    + "quarkus.http.proxy.trusted-proxies (QUARKUS_HTTP_PROXY_TRUSTED_PROXIES), or turn forwarding off");
        }
        this.ipv6PrefixLength = ipv6PrefixLength;
    }

    /** Checked at startup, not at the first request: a configuration that trusts every caller never serves. */
    void check(@Observes StartupEvent event) {
        // Constructing the bean ran the checks.
    }

    /** The source of this request. */
    public String of(HttpServerRequest request) {
        // The connection's peer, not request.remoteAddress(), which Quarkus rewrites from the leftmost entry.
        SocketAddress peer = request.connection() == null ? request.remoteAddress() : request.connection().remoteAddress();
        String host = peer == null ? null : peer.hostAddress();
        if (host == null) {
            return "unknown";
        }
        if (!forwarding) {
            // No proxy is trusted: no header counts, so none is read.
            return key(host);
        }
        return of(host, request.headers().getAll("Forwarded"), request.headers().getAll("X-Forwarded-For"));
    }

    /**
     * The source of a request from the peer {@code peer} (an IP literal) with these lines of {@code Forwarded} and
     * {@code X-Forwarded-For}.
     */
    String of(String peer, List<String> forwardedLines, List<String> xForwardedForLines) {
        Optional<byte[]> peerAddress = IpLiterals.parse(peer);
        if (!forwarding || peerAddress.isEmpty() || !proxies.contains(peerAddress.get())) {
            return key(peer);
        }
        List<String> hops = forwarded && !forwardedLines.isEmpty() ? forwardedFor(forwardedLines)
                : xForwardedFor && !xForwardedForLines.isEmpty() ? split(xForwardedForLines)
                : List.of();
        if (hops.isEmpty()) {
            return key(peer);
        }
        // Right to left: each trusted proxy appended the address it saw; the first that is not a proxy of ours is
        // the client, as the outermost trusted proxy saw it. Whatever lies left of it, the client wrote.
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            Optional<byte[]> address = IpLiterals.parse(hop);
            if (address.isEmpty() || !proxies.contains(address.get())) {
                return key(hop);
            }
        }
        // Every entry is a proxy of ours: the request began at the leftmost.
        return key(hops.get(0));
    }

    /** The budget key of an address: itself, an IPv6 address its prefix; an identifier that is no address, bounded. */
    private String key(String host) {
        Optional<byte[]> address = IpLiterals.parse(host);
        if (address.isEmpty()) {
            String bounded = host.length() > MAX_IDENTIFIER_LENGTH ? host.substring(0, MAX_IDENTIFIER_LENGTH) : host;
            return "id:" + bounded.toLowerCase(Locale.ROOT);
        }
        byte[] bytes = address.get();
        if (bytes.length == 4) {
            // As bytes, not as written: 1.2.3.4, 1.2.3.004 and ::ffff:1.2.3.4 are one source.
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        return ipv6Prefix(bytes, ipv6PrefixLength);
    }

    /** The first {@code bits} of an IPv6 address, e.g. {@code 2001:db8:0:1:0:0:0:0/64}. */
    static String ipv6Prefix(byte[] address, int bits) {
        byte[] prefix = Arrays.copyOf(address, address.length);
        for (int i = 0; i < prefix.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            prefix[i] &= (byte) ((0xff << (8 - keep)) & 0xff);
        }
        try {
            return InetAddress.getByAddress(prefix).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The comma-separated entries of every line, in order. */
    private static List<String> split(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String entry : line.split(",")) {
                String hop = unbracket(entry.trim());
                if (!hop.isEmpty()) {
                    hops.add(hop);
                }
            }
        }
        return hops;
    }

    /**
     * The {@code for} of every element of every line (RFC 7239 §4, §6): a quoted IPv6 address in brackets, perhaps
     * with a port; an IPv4 address perhaps with a port; or an identifier ({@code unknown}, an obfuscated one).
     */
    private static List<String> forwardedFor(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String element : line.split(",")) {
                for (String pair : element.split(";")) {
                    int equals = pair.indexOf('=');
                    if (equals > 0 && pair.substring(0, equals).trim().equalsIgnoreCase("for")) {
                        String value = pair.substring(equals + 1).trim();
                        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                            value = value.substring(1, value.length() - 1);
                        }
                        hops.add(unbracket(value));
                    }
                }
            }
        }
        return hops;
    }

    /** An address without its brackets and port: {@code [2001:db8::1]:4711} and {@code 192.0.2.1:80} alike. */
    private static String unbracket(String value) {
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            return close > 0 ? value.substring(1, close) : value;
        }
        int colon = value.indexOf(':');
        // One colon: an IPv4 address (or an identifier) with a port; more: a bare IPv6 address.
        return colon > 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
    }
}
