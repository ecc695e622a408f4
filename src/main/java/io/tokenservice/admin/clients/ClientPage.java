package io.tokenservice.admin.clients;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** One page of clients, ordered by client_id, and how many there are in all. */
public record ClientPage(
        @JsonProperty("clients") List<ClientView> clients,
        @JsonProperty("offset") int offset,
        @JsonProperty("limit") int limit,
        @JsonProperty("total") long total) {
}
