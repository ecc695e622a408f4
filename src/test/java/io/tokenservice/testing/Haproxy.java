package io.tokenservice.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Debian's HAProxy (as CI installs it) in front of the application under test, in HTTP mode with
 * {@code option forwardfor}: it appends an {@code X-Forwarded-For} line with the address of whoever connected, after
 * whatever the client wrote, as load balancers do. Clients connect from chosen loopback addresses (the whole of
 * 127.0.0.0/8 is local), so each is a source of its own.
 */
public final class Haproxy implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/haproxy");
    /** What every configuration here starts with: HTTP mode, short timeouts. */
    private static final String PREAMBLE = """
            global
                maxconn 256
            defaults
                mode http
                timeout connect 2s
                timeout client 10s
                timeout server 10s
            """;

    private final Process process;
    private final int port;

    private Haproxy(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /**
     * HAProxy terminating TLS on a free port with {@code serverPem} (certificate and key), asking clients for a
     * certificate and passing whichever it gets (self-signed ones too: the service judges them), and forwarding it to
     * 127.0.0.1:{@code backendPort} in RFC 9440's {@code Client-Cert} header, from the local address {@code source}.
     * Whatever Client-Cert a client sends itself is removed first.
     */
    public static Haproxy terminatingTls(int backendPort, Path serverPem, Path caPem, String source) throws Exception {
        return terminatingTls(backendPort, serverPem, caPem, source, null);
    }

    /**
     * The same, reaching the backend over TLS with {@code ownCertificatePem} (certificate and key) as its own client
     * certificate, as a mesh sidecar does; null: plain HTTP.
     */
    public static Haproxy terminatingTls(int backendPort, Path serverPem, Path caPem, String source, Path ownCertificatePem)
            throws Exception {
        int port = PackagedJar.freePort();
        Path config = Files.createTempFile(Path.of("target"), "haproxy-tls-", ".cfg");
        Files.writeString(config, PREAMBLE + """
                frontend in
                    bind 127.0.0.1:%d ssl crt %s ca-file %s verify optional ca-ignore-err all crt-ignore-err all
                    http-request del-header Client-Cert
                    http-request del-header Client-Cert-Chain
                    http-request set-header Client-Cert :%%[ssl_c_der,base64]: if { ssl_c_used }
                    default_backend app
                backend app
                    server app 127.0.0.1:%d source %s%s
                """.formatted(port, serverPem.toAbsolutePath(), caPem.toAbsolutePath(), backendPort, source,
                ownCertificatePem == null ? "" : " ssl verify none crt " + ownCertificatePem.toAbsolutePath()));
        return started(config, port);
    }

    /** HAProxy on a free port, forwarding to 127.0.0.1:{@code backendPort} with option forwardfor. */
    public static Haproxy inFrontOf(int backendPort) throws Exception {
        int port = PackagedJar.freePort();
        Path config = Files.createTempFile(Path.of("target"), "haproxy-", ".cfg");
        Files.writeString(config, PREAMBLE + """
                frontend in
                    bind 127.0.0.1:%d
                    option forwardfor
                    default_backend app
                backend app
                    server app 127.0.0.1:%d
                """.formatted(port, backendPort));
        return started(config, port);
    }

    private static Haproxy started(Path config, int port) throws Exception {
        Process process = new ProcessBuilder(BINARY.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(new File("target/haproxy.log")).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return new Haproxy(process, port);
            } catch (IOException notYet) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    process.destroy();
                    throw new IllegalStateException("HAProxy did not start; see target/haproxy.log");
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * The status of an HTTP/1.1 POST sent through HAProxy from the local address {@code from}, with these headers
     * (a header may be sent as the client's own X-Forwarded-For).
     */
    /** The port it listens on. */
    public int port() {
        return port;
    }

    public int post(String from, String path, Map<String, String> headers, String body) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\nContent-Length: " + content.length + "\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            in.readAllBytes();
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
