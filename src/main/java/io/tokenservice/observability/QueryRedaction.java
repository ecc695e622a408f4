package io.tokenservice.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps query strings out of exported spans. The HTTP server span records {@code url.query} as received, and a
 * client that puts {@code client_secret} or a token in the URL (RFC 6749 §2.3.1 forbids it; RFC 6750 §2.3 makes
 * it a last resort) would have it exported; none of our endpoints reads the query, so the span keeps its path only.
 * Quarkus adds every {@link SpanProcessor} bean to the tracer.
 */
@ApplicationScoped
public class QueryRedaction implements SpanProcessor {

    static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final String REDACTED = "REDACTED";

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        if (span.getAttribute(URL_QUERY) != null) {
            span.setAttribute(URL_QUERY, REDACTED);
        }
        String full = span.getAttribute(URL_FULL);
        if (full != null && full.indexOf('?') >= 0) {
            span.setAttribute(URL_FULL, full.substring(0, full.indexOf('?')) + "?" + REDACTED);
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }

    @Override
    public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
    }
}
