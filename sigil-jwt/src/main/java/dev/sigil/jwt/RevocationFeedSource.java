package dev.sigil.jwt;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Auth's revocation feed, fetched like its key set and from beside it: the key set location
 * with {@code .well-known/jwks.json} replaced by {@code revocations} (any other key set
 * location: {@code revocations} in the same folder), unless
 * {@code sigil.revocations.location} names another. The same rules hold (https, or plain http
 * to loopback only; one deadline), at most {@link #MAX_BYTES}, and the document must be signed with one of
 * the keys already mirrored (see {@link RevocationFeed}).
 * <p>
 * The same documents are pushed as server-sent events from {@code events} below the feed (see
 * {@link RevocationPush}), unless {@code sigil.revocations.push-location} names another place
 * or {@value #NO_PUSH}; a feed read from a file has no push. The push location obeys the same
 * rules as the feed's.
 */
@ApplicationScoped
public class RevocationFeedSource implements RevocationSource {

    static final String JWKS_SUFFIX = "/.well-known/jwks.json";

    /**
     * About 97 bytes an entry once signed (73 of JSON, base64url-encoded): some 10,800 users
     * and sessions revoked within one token lifetime plus skew.
     * Larger feeds are refused (the known revocations stay), so operators see it.
     */
    public static final int MAX_BYTES = 1024 * 1024;

    @Inject
    JwksUrlSource http;

    @Inject
    KeyMirror keys;

    /** Unset: beside the key set. */
    @Inject
    @ConfigProperty(name = "sigil.revocations.location")
    Optional<String> configured;

    /** Unset: {@code events} below the feed; {@value #NO_PUSH}: polling only. */
    @Inject
    @ConfigProperty(name = "sigil.revocations.push-location")
    Optional<String> configuredPush;

    static final String NO_PUSH = "none";

    private URI location;
    private URI push;

    @PostConstruct
    void init() {
        location = location(configured.orElse(null), http.location());
        http.check(location);
        push = pushLocation(configuredPush.orElse(null), location);
        if (push != null) {
            http.check(push);
        }
    }

    /** Where the feed is pushed: the configured place, none, or {@code events} below an http(s) feed. */
    static URI pushLocation(String configured, URI feed) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim().equalsIgnoreCase(NO_PUSH) ? null : URI.create(configured.trim());
        }
        String scheme = String.valueOf(feed.getScheme());
        if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
            return null;
        }
        String text = feed.toString();
        return URI.create((text.endsWith("/") ? text : text + "/") + "events");
    }

    @Override
    public Optional<URI> pushLocation() {
        return Optional.ofNullable(push);
    }

    /** The feed's location: the configured one, or the key set's sibling. */
    static URI location(String configured, URI jwks) {
        if (configured != null && !configured.isBlank()) {
            return URI.create(configured.trim());
        }
        String text = jwks.toString();
        if (text.endsWith(JWKS_SUFFIX)) {
            return URI.create(text.substring(0, text.length() - JWKS_SUFFIX.length()) + "/revocations");
        }
        return jwks.resolve("revocations");
    }

    /**
     * The feed, verified with the mirrored keys. At a first start the first poll can come before
     * the mirror's first fetch has brought any key, and after auth's keys were replaced the feed
     * is signed with a key the mirror learns only at its next poll; a feed refused then would
     * leave the revocations where they were until then. So for a key it does not know, the
     * mirror fetches first ({@link KeyMirror#fetchFor}), and the poll waits for that fetch
     * (bounded like every fetch) before it verifies.
     */
    @Override
    public List<Revocation> fetch() throws IOException, InterruptedException {
        String document = http.fetchText(location, "application/jwt", MAX_BYTES);
        try {
            keys.fetchFor(RevocationFeed.keyId(document)).get(2 * http.timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException keyNotFetched) {
            // verified below with the keys known: refused if its key is not among them, and the next poll tries again
        }
        try {
            return RevocationFeed.verify(document, keys.jwks());
        } catch (IllegalArgumentException e) {
            throw new IOException("refused revocation feed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return location.toString();
    }
}
