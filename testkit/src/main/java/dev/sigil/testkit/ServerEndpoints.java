package dev.sigil.testkit;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What Payara Micro serves at the root of a service's listener, outside the application's
 * context root: MicroProfile Health ({@code /health/ready}, {@code /health/live}), Metrics
 * ({@code /metrics}) and OpenAPI ({@code /openapi}).
 */
public final class ServerEndpoints {

    private final HttpJson root;

    /** @param anyUrl any URL of the server, for example the application's base URL */
    public ServerEndpoints(String anyUrl) {
        URI uri = URI.create(anyUrl);
        this.root =
                new HttpJson(uri.getScheme() + "://" + uri.getAuthority(), java.net.http.HttpClient.Version.HTTP_1_1);
    }

    public Reply ready() {
        return root.get("/health/ready");
    }

    /** The readiness answer once it is 200, or the last one after five seconds. */
    public Reply awaitReady() throws InterruptedException {
        Reply ready = ready();
        for (int i = 0; i < 50 && ready.status() != 200; i++) {
            Thread.sleep(100);
            ready = ready();
        }
        return ready;
    }

    /**
     * Waits, at most ten seconds, until the application at {@code base} answers {@code path}
     * with anything but 404: right after Payara Micro says it is ready, the application's
     * resources have been seen to answer 404 for a moment.
     */
    public static void awaitApplication(String base, String path) throws InterruptedException {
        HttpJson application = new HttpJson(base);
        for (int i = 0; i < 100 && application.get(path).status() == 404; i++) {
            Thread.sleep(100);
        }
    }

    public Reply live() {
        return root.get("/health/live");
    }

    /** The check of that name in a health answer, if present. */
    public static Optional<JsonObject> check(Reply health, String name) {
        return health.json().getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(check -> check.getString("name").equals(name))
                .findFirst();
    }

    /**
     * The value of an application counter.
     *
     * @param name for example {@code sigil_logins_total}
     * @param label for example {@code outcome="ok"}, or null for a counter without labels
     * @throws AssertionError if the server has no such series (every Sigil counter exists from start-up)
     */
    public double counter(String name, String label) {
        Reply metrics = root.get("/metrics?scope=application", "Accept", "text/plain");
        if (metrics.status() != 200) {
            throw new IllegalStateException("metrics answered " + metrics);
        }
        Pattern line = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
        Matcher matcher = line.matcher(metrics.body());
        while (matcher.find()) {
            if (label == null || matcher.group(1).contains(label)) {
                return Double.parseDouble(matcher.group(2));
            }
        }
        throw new AssertionError(
                "no counter " + name + (label == null ? "" : "{" + label + "}") + " in\n" + metrics.body());
    }

    public JsonObject openApi() {
        Reply document = root.get("/openapi?format=JSON", "Accept", "application/json");
        if (document.status() != 200) {
            throw new IllegalStateException("openapi answered " + document);
        }
        try (var reader = Json.createReader(new StringReader(document.body()))) {
            return reader.readObject();
        }
    }

    /**
     * The places in an OpenAPI document, as JSON pointers, that no value can meet or that OpenAPI
     * says to ignore: a {@code multipleOf} of 0 or less, a negative or crossed bound, array
     * bounds on what is not an array, property bounds on what is not an object, a
     * {@code maxProperties} of 0, and header parameters named {@code Authorization},
     * {@code Content-Type} or {@code Accept}.
     */
    public static List<String> schemaDefects(JsonObject openApi) {
        List<String> defects = new ArrayList<>();
        collectDefects(openApi, "", defects);
        return defects;
    }

    private static void collectDefects(JsonValue value, String at, List<String> defects) {
        if (value instanceof JsonArray array) {
            for (int i = 0; i < array.size(); i++) {
                collectDefects(array.get(i), at + "/" + i, defects);
            }
            return;
        }
        if (!(value instanceof JsonObject object)) {
            return;
        }
        String type = object.get("type") instanceof JsonString named ? named.getString() : null;
        if (object.get("multipleOf") instanceof JsonNumber step
                && step.bigDecimalValue().signum() <= 0) {
            defects.add(at + "/multipleOf");
        }
        for (String[] bounds : new String[][] {
            {"minItems", "maxItems", "array"},
            {"minProperties", "maxProperties", "object"},
            {"minLength", "maxLength", null}
        }) {
            for (int i = 0; i < 2; i++) {
                if (object.get(bounds[i]) instanceof JsonNumber bound
                        && (bound.longValue() < 0 || type != null && bounds[2] != null && !type.equals(bounds[2]))) {
                    defects.add(at + "/" + bounds[i]);
                }
            }
            if (object.get(bounds[0]) instanceof JsonNumber min
                    && object.get(bounds[1]) instanceof JsonNumber max
                    && min.longValue() > max.longValue()) {
                defects.add(at + "/" + bounds[0] + ">" + bounds[1]);
            }
        }
        if (object.get("maxProperties") instanceof JsonNumber most && most.longValue() == 0) {
            defects.add(at + "/maxProperties"); // no object Sigil describes must be empty
        }
        if ("header".equals(object.getString("in", null))
                && !at.startsWith("/components/securitySchemes")
                && List.of("authorization", "content-type", "accept")
                        .contains(object.getString("name", "").toLowerCase(Locale.ROOT))) {
            defects.add(at + " (header " + object.getString("name") + ")");
        }
        object.forEach((key, member) ->
                collectDefects(member, at + "/" + key.replace("~", "~0").replace("/", "~1"), defects));
    }

    /** The operation {@code method} (lower case) of {@code path} in an OpenAPI document. */
    public static JsonObject operation(JsonObject openApi, String path, String method) {
        JsonObject item = openApi.getJsonObject("paths").getJsonObject(path);
        if (item == null || item.get(method) == null || item.get(method).getValueType() != JsonValue.ValueType.OBJECT) {
            throw new AssertionError("no " + method + " " + path + " in "
                    + openApi.getJsonObject("paths").keySet());
        }
        return item.getJsonObject(method);
    }

    /**
     * The response under {@code components/responses} that an operation's answer {@code status}
     * refers to: an error answer that many operations give is written once and referred to.
     */
    public static JsonObject sharedResponse(JsonObject openApi, JsonObject operation, String status) {
        JsonObject response = operation.getJsonObject("responses").getJsonObject(status);
        String prefix = "#/components/responses/";
        if (response == null || !response.getString("$ref", "").startsWith(prefix)) {
            throw new AssertionError("answer " + status + " is not a shared response: " + operation);
        }
        String name = response.getString("$ref").substring(prefix.length());
        JsonObject shared =
                openApi.getJsonObject("components").getJsonObject("responses").getJsonObject(name);
        if (shared == null) {
            throw new AssertionError("no component response " + name);
        }
        return shared;
    }

    /** The {@code $ref} of the JSON schema of a response or request body. */
    public static String schemaRef(JsonObject withContent) {
        return withContent
                .getJsonObject("content")
                .getJsonObject("application/json")
                .getJsonObject("schema")
                .getString("$ref");
    }
}
