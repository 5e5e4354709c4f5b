package dev.sigil.jwt;

import dev.sigil.web.RateLimitedLog;
import dev.sigil.web.Realm;
import dev.sigil.web.UnverifiedToken;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import jakarta.security.enterprise.identitystore.IdentityStoreHandler;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Stands in front of the MicroProfile JWT validator (Payara's identity store) for every bearer
 * token. The validator still decides on every token this service has not seen: signature,
 * {@code typ}, {@code iss}, {@code aud}, {@code exp}. The gate adds what it lacks:
 * <ul>
 * <li>{@code nbf} in the future (beyond the clock skew) is rejected; the validator ignores it;</li>
 * <li>so are a token without {@code exp} or {@code iat}, one issued in the future (beyond the
 * skew), one that claims to live longer than {@code sigil.tokens.max-lifetime-seconds}, one with
 * a {@code crit} header (no extension is understood here, RFC 7515 section 4.1.11), one whose
 * header or payload repeats a member, and one with a part that is not the canonical base64url
 * spelling of its bytes, so one signed token has one cache entry (see {@link UnverifiedToken});</li>
 * <li>a token must name its key ({@code kid}); a key the {@link KeyMirror} does not know makes
 * it fetch the key set, and the token waits for that briefly or not at all
 * ({@link KeyMirror#awaitKey});</li>
 * <li>a token the validator accepted is remembered in the {@link VerifiedTokenCache} until its
 * {@code exp}, or until its key is no longer published, whichever comes first (at most
 * {@code sigil.tokens.cache-size} tokens);</li>
 * <li>a verified token, cached or not, is refused when the {@link RevocationList} covers its
 * subject or its session ({@code sid}) at its issue time ({@code iat_ms}, or {@code iat} in
 * milliseconds for a token without it); such a token stays in the cache, so the 401 can say it
 * was revoked (see {@link Realm#describeRevocations}); until the {@link RevocationPoller} has
 * the revocations (loaded from its copy or fetched since the start), every token is refused,
 * since a revoked one could not be told apart, after a wait of at most
 * {@value #REVOCATIONS_WAIT_MS} ms for them in one of the poller's few waiting places;</li>
 * <li>each rejection is logged as one line with its reason, never the token, at most ten lines
 * a second (the rest are counted);</li>
 * <li>the validator re-reads the key mirror's file at most once a second (a re-read per token
 * serialised every validation behind one lock): a token the validator refused whose key the
 * mirror learned within that second gets one retry once the validator has caught up, if one of
 * the mirror's few waiting places is free (see {@link KeyMirror#awaitValidator}). Tokens of
 * keys known for longer are refused at once.</li>
 * </ul>
 * The token is read from Payara's credential by {@link BearerCredential}.
 * It is the application's {@link IdentityStoreHandler}: Payara's JWT mechanism asks the handler,
 * and an enabled alternative replaces the default one.
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class TokenGate implements IdentityStoreHandler {

    private static final Logger LOG = Logger.getLogger(TokenGate.class.getName());

    /** How long a token waits for the revocations at a first start (see {@link RevocationPoller#awaitCurrent}). */
    static final long REVOCATIONS_WAIT_MS = 500;

    /**
     * Payara's validator logs each rejection as a long INFO stack trace; the gate logs one line
     * instead. The reference keeps the level from being lost with a collected logger.
     */
    private static final Logger VALIDATOR_LOG =
            Logger.getLogger("fish.payara.microprofile.jwtauth.eesecurity.SignedJWTIdentityStore");

    @Inject
    KeyMirror keys;

    @Inject
    TokenMetrics metrics = TokenMetrics.NONE;

    @Inject
    RevocationList revocations;

    @Inject
    RevocationPoller poller;

    @Inject
    @Any
    Instance<IdentityStore> identityStores;

    @Inject
    @ConfigProperty(name = "mp.jwt.verify.clock.skew")
    long skewSeconds;

    @Inject
    @ConfigProperty(name = "sigil.tokens.cache-size", defaultValue = "20000")
    int cacheSize;

    /**
     * The longest lifetime ({@code exp - iat}) a token may claim: auth issues tokens of minutes,
     * so a token claiming months was not made by it. Must be at least auth's token lifetime.
     */
    @Inject
    @ConfigProperty(name = "sigil.tokens.max-lifetime-seconds", defaultValue = "86400")
    long maxLifetimeSeconds;

    /** Must match {@code publicKey.cache.ttl} of {@code payara-mp-jwt.properties}. */
    @Inject
    @ConfigProperty(name = "sigil.tokens.validator-key-ttl-ms", defaultValue = "1000")
    long validatorKeyTtlMs;

    Clock clock = Clock.systemUTC();

    /**
     * A flood of bad tokens must not turn into a flood of synchronous log writes: at most ten
     * lines a second of refused tokens, the gate's and those auth's own filters refuse.
     */
    public static final RateLimitedLog REJECTIONS = new RateLimitedLog(LOG, 10);

    List<IdentityStore> validators;
    private final VerifiedTokenCache verified = new VerifiedTokenCache();

    /** Whom and when a verified token was issued to: what revocations are matched against. */
    record Issued(String subject, String session, long millis) {

        /**
         * From the claims of a token the validator accepted, so its payload is auth's; without
         * {@code iat_ms}, the start of its {@code iat} second.
         */
        static Issued of(UnverifiedToken claims) {
            long millis = claims.issuedMillis() != null ? claims.issuedMillis() : claims.iat() * 1000;
            return new Issued(claims.subject(), claims.session(), millis);
        }
    }

    @PostConstruct
    void init() {
        VALIDATOR_LOG.setLevel(Level.WARNING);
        validators = identityStores.stream()
                .filter(store -> store.validationTypes().contains(IdentityStore.ValidationType.VALIDATE))
                .sorted(Comparator.comparingInt(IdentityStore::priority))
                .toList();
        Realm.describeRevocations(this::revoked);
    }

    /** Whether a token is refused as revoked now: only a token verified and still cached is known to be. */
    boolean revoked(String token) {
        VerifiedTokenCache.Entry known = verified.get(token);
        return known != null && isRevoked(known);
    }

    private boolean isRevoked(VerifiedTokenCache.Entry known) {
        Issued issued = known.issued();
        return revocations != null && revocations.revoked(issued.subject(), issued.session(), issued.millis());
    }

    /** A verified token as the revocations judge it: its own result, or a refusal. */
    private CredentialValidationResult unlessRevoked(VerifiedTokenCache.Entry known) {
        if (poller != null && !poller.awaitCurrent(REVOCATIONS_WAIT_MS)) {
            return reject(Reason.REVOCATIONS_UNKNOWN, known.kid());
        }
        return isRevoked(known) ? reject(Reason.REVOKED, known.kid()) : known.result();
    }

    @Override
    public CredentialValidationResult validate(Credential credential) {
        String token;
        try {
            token = BearerCredential.token(credential);
        } catch (IllegalArgumentException unreadable) {
            REJECTIONS.log(() -> "A bearer credential that cannot be read is refused: " + unreadable.getMessage());
            return reject(Reason.MALFORMED, null);
        }
        if (token == null) {
            return validateWithStores(credential);
        }
        long now = clock.instant().getEpochSecond();
        VerifiedTokenCache.Entry known = verified.get(token);
        if (known != null) {
            if (now < known.exp() && keys.knows(known.kid())) {
                return unlessRevoked(known);
            }
            verified.remove(token, known);
        }
        Optional<UnverifiedToken> read = UnverifiedToken.read(token);
        if (read.isEmpty()) {
            return reject(Reason.MALFORMED, null);
        }
        UnverifiedToken claims = read.get();
        if (claims.kid() == null) {
            return reject(Reason.NO_KID, null);
        }
        Reason unacceptable = unacceptable(claims, now);
        if (unacceptable != null) {
            return reject(unacceptable, claims.kid());
        }
        if (!keys.awaitKey(claims.kid())) {
            return keys.hasKeys() ? reject(Reason.UNKNOWN_KID, claims.kid()) : reject(Reason.NO_KEYS, claims.kid());
        }
        long validatedAt = System.nanoTime();
        CredentialValidationResult result = validateWithStores(credential);
        if (result.getStatus() != CredentialValidationResult.Status.VALID
                && keys.awaitValidator(claims.kid(), validatedAt, validatorKeyTtlMs)) {
            result = validateWithStores(credential);
        }
        if (result.getStatus() != CredentialValidationResult.Status.VALID) {
            return claims.expired(now, skewSeconds)
                    ? reject(Reason.EXPIRED, claims.kid())
                    : reject(Reason.INVALID, claims.kid());
        }
        VerifiedTokenCache.Entry entry =
                new VerifiedTokenCache.Entry(result, claims.kid(), claims.exp(), Issued.of(claims));
        verified.remember(token, entry, cacheSize, now);
        return unlessRevoked(entry);
    }

    /** What makes a token unacceptable whatever its signature, or null. */
    private Reason unacceptable(UnverifiedToken claims, long now) {
        if (claims.critical()) {
            return Reason.CRIT;
        }
        if (claims.exp() == null || claims.iat() == null) {
            return Reason.NO_EXP_OR_IAT;
        }
        if (claims.notYetValid(now, skewSeconds)) {
            return Reason.NOT_YET_VALID;
        }
        if (claims.issuedInTheFuture(now, skewSeconds)) {
            return Reason.ISSUED_IN_FUTURE;
        }
        if (claims.livesLongerThan(maxLifetimeSeconds)) {
            return Reason.TOO_LONG_LIVED;
        }
        return null;
    }

    /** How many verified tokens are kept now. */
    int remembered() {
        return verified.size();
    }

    private CredentialValidationResult validateWithStores(Credential credential) {
        CredentialValidationResult outcome = CredentialValidationResult.NOT_VALIDATED_RESULT;
        for (IdentityStore store : validators) {
            CredentialValidationResult result = store.validate(credential);
            if (result.getStatus() == CredentialValidationResult.Status.VALID) {
                return result;
            }
            if (result.getStatus() == CredentialValidationResult.Status.INVALID) {
                outcome = result;
            }
        }
        return outcome;
    }

    private CredentialValidationResult reject(Reason reason, String kid) {
        metrics.rejected(reason);
        REJECTIONS.log(() -> "Bearer token rejected: " + reason.message(maxLifetimeSeconds)
                + (kid == null ? "" : " (kid " + printable(kid) + ")"));
        return CredentialValidationResult.INVALID_RESULT;
    }

    /** A value from a token (a key id, an audience) as it may appear in a log line: short, and without control characters. */
    public static String printable(String kid) {
        String shown = kid.length() > 64 ? kid.substring(0, 64) + "..." : kid;
        return shown.replaceAll("[^\\x20-\\x7e]", "?");
    }
}
