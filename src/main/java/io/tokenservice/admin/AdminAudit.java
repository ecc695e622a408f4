package io.tokenservice.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Records admin changes in the {@code admin_audit} table, inside the caller's transaction, and in the log
 * category {@code token-service.audit}. Callers pass metadata names and numbers, never a secret or a hash.
 */
@ApplicationScoped
public class AdminAudit {

    private static final Logger LOG = Logger.getLogger("token-service.audit");

    private final AdminCaller caller;
    private final MeterRegistry registry;

    AdminAudit(AdminCaller caller, MeterRegistry registry) {
        this.caller = caller;
        this.registry = registry;
    }

    /** Records {@code action} on {@code clientId}, or on no client (key rotations) when it is null. */
    public Uni<Void> record(String action, String clientId, String details) {
        return recordAs(caller.subject(), action, clientId, details);
    }

    /** Records a change made by the service itself ({@code actor}: what made it), outside any admin request. */
    public Uni<Void> recordAs(String actor, String action, String clientId, String details) {
        AdminAuditEvent event = new AdminAuditEvent();
        event.occurredAt = OffsetDateTime.now();
        event.actor = actor;
        event.action = action;
        event.clientId = clientId;
        event.details = details;
        String subject = clientId == null ? "" : " client_id=" + clientId;
        return event.persist().invoke(() -> {
            // Actions are the code's own names: a bounded tag.
            registry.counter("token_service.admin.changes", "action", action).increment();
            // Structured too: the JSON log carries these under "mdc", for a log pipeline to index.
            MDC.put("audit.actor", event.actor);
            MDC.put("audit.action", action);
            if (clientId != null) {
                MDC.put("audit.client_id", clientId);
            }
            try {
                LOG.infof("actor=%s action=%s%s %s", event.actor, action, subject, details);
            } finally {
                MDC.remove("audit.actor");
                MDC.remove("audit.action");
                MDC.remove("audit.client_id");
            }
        }).replaceWithVoid();
    }
}
