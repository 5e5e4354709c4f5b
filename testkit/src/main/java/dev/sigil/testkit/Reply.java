package dev.sigil.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;

/**
 * An HTTP answer as tests look at it: status, headers and the body, parsed as JSON on demand.
 */
public record Reply(int status, HttpResponse<String> raw) {

    public String body() {
        return raw.body();
    }

    public String header(String name) {
        return raw.headers().firstValue(name).orElse(null);
    }

    public JsonObject json() {
        try {
            return Json.createReader(new StringReader(raw.body())).readObject();
        } catch (RuntimeException e) {
            throw new AssertionError("Not a JSON object (status " + status + "): " + raw.body(), e);
        }
    }

    /** The {@code detail} of an error body. */
    public String detail() {
        return json().getString("detail");
    }

    @Override
    public String toString() {
        return status + " " + raw.headers().map() + " " + raw.body();
    }
}
