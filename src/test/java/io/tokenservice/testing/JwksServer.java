package io.tokenservice.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the places keys are published (a client's jwks_uri, an issuer's discovery and JWKS), over real
 * HTTP on a free port: each path answers what a test put there, slowly, hugely or with an error status when asked,
 * and counts its requests.
 */
public final class JwksServer implements AutoCloseable {

    private record Answer(int status, String body, Duration delay, boolean chunked) {
    }

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();

    public JwksServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", this::answer);
        server.start();
    }

    /** The absolute URL of {@code path} on this server. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** {@code path} answers 200 with this JSON. */
    public JwksServer serve(String path, String json) {
        answers.put(path, new Answer(200, json, Duration.ZERO, false));
        return this;
    }

    /** {@code path} answers with this status and body after {@code delay}. */
    public JwksServer serve(String path, int status, String body, Duration delay) {
        answers.put(path, new Answer(status, body, delay, false));
        return this;
    }

    /** {@code path} answers 200 with this body in chunks, announcing no length. */
    public JwksServer serveChunked(String path, String body) {
        answers.put(path, new Answer(200, body, Duration.ZERO, true));
        return this;
    }

    /** How many requests {@code path} has had. */
    public int requests(String path) {
        AtomicInteger count = requests.get(path);
        return count == null ? 0 : count.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        requests.computeIfAbsent(path, key -> new AtomicInteger()).incrementAndGet();
        Answer answer = answers.getOrDefault(path, new Answer(404, "{}", Duration.ZERO, false));
        try {
            Thread.sleep(answer.delay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        try (OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(answer.status(), answer.chunked() ? 0 : body.length);
            out.write(body);
        } catch (IOException closedByTheClient) {
            // A client that stops reading (a size or time limit) closes the connection: expected here.
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
