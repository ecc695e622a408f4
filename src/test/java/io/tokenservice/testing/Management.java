package io.tokenservice.testing;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (health, metrics, OpenAPI), which listens apart from the public port. */
public final class Management {

    private Management() {
    }

    /** A request to the running test application's management interface. */
    public static RequestSpecification given() {
        // The manager's URI ends in the management root path (/q); requests here name their whole path.
        java.net.URI uri = java.net.URI.create(TestHTTPResourceManager.getManagementUri());
        return RestAssured.given().baseUri(uri.getScheme() + "://" + uri.getHost()).port(uri.getPort()).basePath("");
    }
}
