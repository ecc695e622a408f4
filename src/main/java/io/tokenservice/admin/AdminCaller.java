package io.tokenservice.admin;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling the admin API in this request: the {@code sub} of the verified admin token. */
@RequestScoped
public class AdminCaller {

    private String subject;

    void authenticated(String subject) {
        this.subject = subject;
    }

    public String subject() {
        if (subject == null) {
            throw new IllegalStateException("no authenticated admin caller in this request");
        }
        return subject;
    }
}
