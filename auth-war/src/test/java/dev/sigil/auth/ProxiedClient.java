package dev.sigil.auth;

import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;

/**
 * The auth WAR as one client behind a trusted proxy sees it: every request names the client's
 * address in {@code X-Forwarded-For}, unless it names another itself. Each test gets an address
 * of its own, so no test's failed logins or registrations count against another's.
 */
final class ProxiedClient {

    private static final String FORWARDED_FOR = "X-Forwarded-For";

    private final HttpJson http;
    private final String address;

    ProxiedClient(String base, String address) {
        this.http = new HttpJson(base);
        this.address = address;
    }

    Reply get(String path, String... headers) {
        return http.get(path, named(headers));
    }

    Reply post(String path, String json, String... headers) {
        return http.post(path, json, named(headers));
    }

    Reply send(String method, String path, String body, String... headers) {
        return http.send(method, path, body, named(headers));
    }

    /** The headers, with this client's address first unless they name one. */
    private String[] named(String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(FORWARDED_FOR)) {
                return headers;
            }
        }
        return from(address, headers);
    }

    /** Headers naming the client address, as a trusted proxy would; then any others. */
    static String[] from(String address, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = FORWARDED_FOR;
        all[1] = address;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }
}
