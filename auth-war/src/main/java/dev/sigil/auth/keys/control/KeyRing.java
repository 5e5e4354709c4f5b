package dev.sigil.auth.keys.control;

import dev.sigil.auth.keys.control.KeySchedule.State;
import dev.sigil.auth.keys.control.KeySchedule.Status;
import dev.sigil.auth.keys.entity.SigningKey;
import dev.sigil.auth.monitoring.AuthMetrics;
import dev.sigil.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

/**
 * The keys this service signs with and publishes, held in memory (see {@link KeySchedule} for
 * the life of a key). The keys live in the database, so every instance signs with the same
 * key; {@link KeyMaintenance} has each instance re-read them every
 * {@code auth.keys.reload-seconds}, so signing and serving the JWKS never wait for the database:
 * a reload or a rotation reads and writes it outside the lock that readers take, and holds that
 * lock only to put the new keys in place.
 * <ul>
 * <li>At the very first start one key is generated and signs at once.</li>
 * <li>A rotation, on demand or when {@link KeyMaintenance} finds the newest key old enough,
 * publishes a new key that starts signing {@code auth.keys.publish-lead-seconds} later: longer
 * than consumers cache the JWKS ({@code auth.jwks.max-age-seconds}) plus their polling period.</li>
 * <li>New keys come from the {@link KeyGenerator}; a rotation may switch the algorithm.</li>
 * </ul>
 */
@ApplicationScoped
public class KeyRing {

    private static final Logger LOG = Logger.getLogger(KeyRing.class.getName());

    /**
     * At most this many keys published at once: the validators refuse a key set over 64 KiB
     * (about 1 KiB a key), and rotations requested in a loop would otherwise grow it past that.
     */
    static final int MAX_PUBLISHED = 16;

    @Inject
    SigningKeyStore store;

    @Inject
    KeyVault vault;

    @Inject
    AuthMetrics metrics = AuthMetrics.NONE;

    @Inject
    KeyGenerator generator;

    @Inject
    @ConfigProperty(name = "auth.keys.publish-lead-seconds", defaultValue = "120")
    long publishLeadSeconds;

    @Inject
    @ConfigProperty(name = "auth.keys.reload-seconds", defaultValue = "10")
    long reloadSeconds;

    @Inject
    @ConfigProperty(name = "auth.token.lifetime-seconds")
    long tokenLifetimeSeconds;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.clock.skew")
    long skewSeconds;

    Clock clock = Clock.systemUTC();

    private volatile Map<String, PublicJsonWebKey> loaded;
    private volatile List<KeySchedule.Key> stored;
    private volatile View view;
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    /** Held by a reload or rotation for its database work; readers take only this ring's own lock, briefly. */
    private final Object changing = new Object();

    private final CountDownLatch firstLoad = new CountDownLatch(1);

    /** What is in force until {@code validUntil}: the key to sign with and the JWKS to publish. */
    record View(PublicJsonWebKey signing, String jwks, List<Status> statuses, Instant validUntil) {}

    /** This ring with another vault; for tests of sealing at rest. */
    KeyRing withVault(KeyVault vault) {
        this.vault = vault;
        return this;
    }

    /** How often each instance re-reads the keys, in seconds. */
    public long reloadSeconds() {
        return reloadSeconds;
    }

    /** The private key that signs new tokens, with its {@code kid} and {@code alg}. */
    public PublicJsonWebKey signingKey() {
        return view().signing();
    }

    /** The published public keys as a JWKS document ({@code {"keys":[…]}}), without any private part. */
    public String jwks() {
        return view().jwks();
    }

    /**
     * The published keys once {@link KeyMaintenance} has loaded them, without ever reading the
     * database: for this service's key mirror, which asks from a scheduler thread as soon as it
     * starts, where the application's persistence context may not be in place yet (a lookup
     * that fails there leaves the thread unusable for later database work).
     */
    public Optional<String> jwksIfLoaded() {
        return view == null ? Optional.empty() : Optional.of(view().jwks());
    }

    /**
     * {@link #jwksIfLoaded()}, once {@link KeyMaintenance} has loaded the keys or {@code timeoutMs}
     * has passed: the key mirror starts before the keys are loaded, and a first fetch that found
     * none would leave the first tokens of a fresh start refused until its next try.
     */
    public Optional<String> jwksOnceLoaded(long timeoutMs) throws InterruptedException {
        firstLoad.await(timeoutMs, TimeUnit.MILLISECONDS);
        return jwksIfLoaded();
    }

    /** Every published key and where it stands. */
    public List<Status> statuses() {
        return view().statuses();
    }

    /**
     * Publishes a new key now, to sign from {@code auth.keys.publish-lead-seconds} on.
     *
     * @param newAlgorithm RS256 or ES256; null for the configured one
     */
    public Status rotate(String newAlgorithm) {
        synchronized (changing) {
            return rotateNow(newAlgorithm);
        }
    }

    private Status rotateNow(String newAlgorithm) {
        view();
        // counted and added under the database lock, so that instances rotating at once stay under the cap
        SigningKey key = store.exclusively(() -> {
            Instant now = clock.instant();
            long published =
                    KeySchedule.at(scheduled(store.newestFirst()), now, tokenLifetimeSeconds + skewSeconds).stream()
                            .filter(status -> status.state() != State.REMOVED)
                            .count();
            if (published >= MAX_PUBLISHED) {
                throw new ApiException(
                        409,
                        "Already " + published + " keys are published; rotate again once older ones are retired and"
                                + " removed (a token lifetime and the skew after their successor signs)");
            }
            SigningKey next = generate(newAlgorithm, now, now.plusSeconds(publishLeadSeconds));
            store.add(next);
            return next;
        });
        metrics.rotated();
        reload();
        return statuses().stream()
                .filter(status -> status.key().kid().equals(key.kid()))
                .findFirst()
                .orElseThrow();
    }

    /**
     * Publishes a new key of the configured algorithm when the newest key is
     * {@code rotationSeconds} old, decided again under the database lock: another auth instance
     * may have rotated meanwhile.
     */
    public void rotateIfOlderThan(long rotationSeconds) {
        if (!rotationDue(stored.stream().map(KeySchedule.Key::createdAt), rotationSeconds)) {
            return;
        }
        SigningKey rotated = store.exclusively(() -> {
            if (!rotationDue(store.newestFirst().stream().map(SigningKey::createdAt), rotationSeconds)) {
                return null;
            }
            Instant now = clock.instant();
            SigningKey key = generate(null, now, now.plusSeconds(publishLeadSeconds));
            store.add(key);
            return key;
        });
        if (rotated != null) {
            metrics.rotated();
            reload();
            LOG.info(
                    () -> "Scheduled rotation: published " + rotated.kid() + ", signing from " + rotated.activatesAt());
        }
    }

    /** Deletes the keys the schedule has removed: no token they signed can still be valid. */
    public void deleteRemoved() {
        for (Status status : KeySchedule.at(stored, clock.instant(), tokenLifetimeSeconds + skewSeconds)) {
            if (status.state() == State.REMOVED) {
                store.remove(status.key().kid());
                LOG.info(() -> "Removed retired key " + status.key().kid());
            }
        }
    }

    /**
     * With a previous secret configured, seals every key that only the previous secret opens
     * with the current one, in one transaction under the signing-key lock: all of them or, if
     * one opens with neither secret, none (and the start fails). Several instances starting
     * with the same settings re-seal once; the others find nothing left to do.
     */
    public void reseal() {
        if (!vault.hasPrevious()) {
            return;
        }
        int resealed = store.exclusively(() -> {
            Map<String, String> sealed = new LinkedHashMap<>();
            for (SigningKey row : store.newestFirst()) {
                if (KeyVault.sealed(row.privateJwk())) {
                    vault.resealed(row.privateJwk()).ifPresent(again -> sealed.put(row.kid(), again));
                }
            }
            sealed.forEach(store::reseal);
            return sealed.size();
        });
        LOG.info(() ->
                "Re-sealed " + resealed + " signing key(s) with the current secret; the previous one is no longer "
                        + "needed: remove " + KeyVault.PREVIOUS + " (or " + KeyVault.PREVIOUS_FILE + ")");
    }

    /** Whether the newest of these creation times is a rotation period old. */
    private boolean rotationDue(Stream<Instant> createdAt, long rotationSeconds) {
        Instant now = clock.instant();
        Instant newest = createdAt.max(Instant::compareTo).orElse(now);
        return !newest.plusSeconds(rotationSeconds).isAfter(now);
    }

    /** The keys in force now: recomputed from memory once the view has run out, loaded first if never. */
    private View view() {
        View current = view;
        if (current == null) {
            synchronized (changing) {
                if (view == null) {
                    reloadNow();
                }
            }
            firstLoad.countDown();
            return view;
        }
        if (!clock.instant().isBefore(current.validUntil())) {
            synchronized (this) {
                current = view;
                if (!clock.instant().isBefore(current.validUntil())) {
                    View before = current;
                    current = compute();
                    view = current;
                    logSigningKey(before, current); // a rotated key takes over at its activation
                }
            }
        }
        return current;
    }

    /**
     * Reads the stored keys (generating the first one if there is none) and recomputes the view;
     * readers go on with the keys they have while it reads.
     */
    public void reload() {
        synchronized (changing) {
            reloadNow();
        }
        firstLoad.countDown();
    }

    private void reloadNow() {
        List<SigningKey> rows = store.newestFirst();
        if (rows.isEmpty()) {
            // the first key, created by one instance only when several start on an empty database
            rows = store.exclusively(() -> {
                if (store.newestFirst().isEmpty()) {
                    Instant now = clock.instant();
                    store.add(generate(null, now, now));
                }
                return store.newestFirst();
            });
        }
        rows = rows.stream().filter(this::sealedOrRefused).toList();
        Map<String, PublicJsonWebKey> known = loaded == null ? Map.of() : loaded;
        Map<String, PublicJsonWebKey> parsed = rows.stream()
                .collect(Collectors.toMap(
                        SigningKey::kid,
                        row -> known.containsKey(row.kid()) ? known.get(row.kid()) : parse(row),
                        (a, b) -> a));
        List<KeySchedule.Key> schedule = scheduled(rows);
        View before = view;
        View now;
        synchronized (this) {
            loaded = parsed;
            stored = schedule;
            now = compute();
            view = now;
        }
        logSigningKey(before, now);
    }

    /** One line when the key that signs changes: at start, at a rotated key's activation, on a reload. */
    private static void logSigningKey(View before, View now) {
        if (before == null || !now.signing().getKeyId().equals(before.signing().getKeyId())) {
            LOG.info(() -> "Signing with key " + now.signing().getKeyId() + " ("
                    + now.signing().getAlgorithm() + "); publishing "
                    + (now.statuses().size()) + " key(s)");
        }
    }

    private static List<KeySchedule.Key> scheduled(List<SigningKey> rows) {
        return rows.stream()
                .map(row -> new KeySchedule.Key(row.kid(), row.algorithm(), row.createdAt(), row.activatesAt()))
                .toList();
    }

    private View compute() {
        Instant now = clock.instant();
        List<Status> statuses = KeySchedule.at(stored, now, tokenLifetimeSeconds + skewSeconds);
        PublicJsonWebKey signing = null;
        JsonWebKeySet published = new JsonWebKeySet();
        List<Status> kept = new ArrayList<>();
        for (Status status : statuses) {
            if (status.state() == State.REMOVED) {
                continue;
            }
            kept.add(status);
            PublicJsonWebKey jwk = loaded.get(status.key().kid());
            published.addJsonWebKey(jwk);
            if (status.state() == State.ACTIVE) {
                signing = jwk;
            }
        }
        if (signing == null) {
            throw new IllegalStateException(
                    "No signing key is active" + (refused.isEmpty() ? "" : " (refused unsealed: " + refused + ")"));
        }
        Instant next = KeySchedule.nextChange(statuses, now);
        Instant reloadBy = now.plusSeconds(reloadSeconds);
        return new View(
                signing,
                published.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY),
                List.copyOf(kept),
                next != null && next.isBefore(reloadBy) ? next : reloadBy);
    }

    /**
     * Whether a stored key is sealed. One that is not was written by someone other than this
     * service (which seals every key) and is never published nor used: it is left out, with one
     * SEVERE line, and the sealed keys go on signing, so a planted plain row can neither sign tokens
     * nor stop the service. If it leaves no key to sign with, nothing signs and start-up fails.
     */
    private boolean sealedOrRefused(SigningKey row) {
        if (KeyVault.sealed(row.privateJwk())) {
            return true;
        }
        if (refused.add(row.kid())) {
            LOG.severe(
                    () -> "Refusing the signing key " + row.kid() + ": it is stored unsealed, which this service never "
                            + "does; it is neither published nor used. Delete its row (see OPERATIONS.md, sealed signing keys)");
        }
        return false;
    }

    private PublicJsonWebKey parse(SigningKey row) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(vault.open(row.privateJwk()));
        } catch (JoseException e) {
            throw new IllegalStateException("The stored signing key " + row.kid() + " cannot be read", e);
        }
    }

    /** A new key of {@code alg} (null: the configured one), sealed, to sign from {@code activatesAt}. */
    private SigningKey generate(String alg, Instant now, Instant activatesAt) {
        PublicJsonWebKey jwk = generator.generate(alg);
        LOG.info(() ->
                "Generated " + jwk.getAlgorithm() + " signing key " + jwk.getKeyId() + ", signing from " + activatesAt);
        return new SigningKey(
                jwk.getKeyId(),
                jwk.getAlgorithm(),
                vault.seal(jwk.toJson(JsonWebKey.OutputControlLevel.INCLUDE_PRIVATE)),
                now,
                activatesAt);
    }
}
