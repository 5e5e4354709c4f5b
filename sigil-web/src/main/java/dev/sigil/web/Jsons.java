package dev.sigil.web;

import static dev.sigil.web.Jsons.JSON;

import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider of the services. Each static {@code jakarta.json.JSON.create…} call
 * looks the provider up again through the service loader, which scans the class path: profiled,
 * that lookup was the largest single cost of a request. Looked up once here instead.
 */
public final class Jsons {

    public static final JsonProvider JSON = JsonProvider.provider();

    private Jsons() {
    }
}
