package io.tokenservice.testing;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An OpenTelemetry collector's OTLP/HTTP traces endpoint, as far as a test needs one: it answers every export with
 * 200 and keeps the raw protobuf bodies. Strings (span names, attribute keys and values) travel as UTF-8 there,
 * so what the service exported can be searched for without decoding it.
 */
public class OtlpCollector implements QuarkusTestResourceLifecycleManager {

    private static final ByteArrayOutputStream RECEIVED = new ByteArrayOutputStream();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readAllBytes();
                synchronized (RECEIVED) {
                    RECEIVED.write(bytes, 0, bytes.length);
                }
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        return Map.of("quarkus.otel.exporter.otlp.traces.endpoint",
                "http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Everything exported so far, as text (the protobuf framing shows as noise around the strings). */
    public static String received() {
        synchronized (RECEIVED) {
            return RECEIVED.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
