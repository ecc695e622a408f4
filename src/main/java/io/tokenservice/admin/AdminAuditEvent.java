package io.tokenservice.admin;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One change made through the admin API: who, what, to which client, when. Never a secret. */
@Entity
@Table(name = "admin_audit", schema = "token_service")
public class AdminAuditEvent extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "occurred_at", nullable = false)
    public OffsetDateTime occurredAt;

    /** The {@code sub} of the admin token. */
    @Column(name = "actor", nullable = false, columnDefinition = "text")
    public String actor;

    @Column(name = "action", nullable = false, columnDefinition = "text")
    public String action;

    @Column(name = "client_id", columnDefinition = "text")
    public String clientId;

    @Column(name = "details", nullable = false, columnDefinition = "text")
    public String details;
}
