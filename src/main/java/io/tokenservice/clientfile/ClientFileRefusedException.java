package io.tokenservice.clientfile;

import java.util.List;

/** What is stored keeps the clients file from being applied (a client the admin API registered under a declared id). */
public final class ClientFileRefusedException extends RuntimeException {

    private final List<String> conflicts;

    public ClientFileRefusedException(List<String> conflicts) {
        super(String.join("; ", conflicts), null, false, false);
        this.conflicts = List.copyOf(conflicts);
    }

    public List<String> conflicts() {
        return conflicts;
    }
}
