package dev.sigil.jwt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.TokenMinter;
import dev.sigil.web.UnverifiedToken;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TokenGateTest {

    static final TokenMinter MINTER = new TokenMinter("iss", "aud");
    static final CredentialValidationResult.Status VALID = CredentialValidationResult.Status.VALID;
    static final CredentialValidationResult.Status INVALID = CredentialValidationResult.Status.INVALID;

    /** Shaped like Payara's credential: the gate finds the token through this accessor. */
    public static final class BearerCredential implements Credential {
        private final String token;

        BearerCredential(String token) {
            this.token = token;
        }

        public String getSignedJWT() {
            return token;
        }
    }

    /** Shaped like a JWT credential whose accessor is gone, as after a rename in Payara. */
    public static final class RenamedJwtCredential implements Credential {
        public String getToken() {
            return "a.b.c";
        }
    }

    /** Shaped like Payara's credential, with an accessor that fails. */
    public static final class BrokenBearerCredential implements Credential {
        public String getSignedJWT() {
            throw new IllegalStateException("broken");
        }
    }

    /** A validator that accepts whatever it is told to, counting its calls. */
    static final class CountingStore implements IdentityStore {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean accept = true;

        @Override
        public CredentialValidationResult validate(Credential credential) {
            calls.incrementAndGet();
            return accept
                    ? new CredentialValidationResult("someone", Set.of("user"))
                    : CredentialValidationResult.INVALID_RESULT;
        }
    }

    /** A mirror that knows a fixed, changeable set of key ids and never fetches. */
    static final class FixedKeys extends KeyMirror {
        final Set<String> kids = new HashSet<>(Set.of(MINTER.kid()));

        @Override
        public boolean knows(String kid) {
            return kids.contains(kid);
        }

        @Override
        public boolean hasKeys() {
            return !kids.isEmpty();
        }

        @Override
        public boolean awaitKey(String kid) {
            return knows(kid);
        }

        @Override
        public boolean awaitValidator(String kid, long validatedAtNanos, long validatorTtlMs) {
            return false;
        }
    }

    final CountingStore store = new CountingStore();
    final FixedKeys keys = new FixedKeys();
    final TokenGate gate = new TokenGate();
    long now = NumericDate.now().getValue();

    @BeforeEach
    void wire() {
        gate.keys = keys;
        gate.validators = List.of(store);
        gate.skewSeconds = 60;
        gate.maxLifetimeSeconds = 86400;
        gate.cacheSize = 100;
        gate.revocations = revocations;
        revocations.maxLifetimeSeconds = 86400;
        revocations.skewSeconds = 60;
        setClock(now);
    }

    final RevocationList revocations = new RevocationList();

    String tokenOf(String subject, String session, long issuedMillis) {
        return MINTER.token(claims -> {
            claims.setSubject(subject);
            claims.setStringListClaim("groups", List.of("user"));
            claims.setClaim("sid", session);
            claims.setClaim(UnverifiedToken.ISSUED_MILLIS, issuedMillis);
            claims.setIssuedAt(NumericDate.fromMilliseconds(issuedMillis));
        });
    }

    @Test
    void aRevokedTokenIsRefusedCachedOrNotAndOneIssuedAfterTheRevocationIsNot() {
        long millis = now * 1000 + 400;
        String cached = tokenOf("alice", "s1", millis - 1);
        String fresh = tokenOf("alice", "s2", millis - 1);
        String sameSecondLater = tokenOf("alice", "s3", millis);
        assertEquals(VALID, validate(cached));
        revocations.add(List.of(Revocation.ofSubject("alice", millis)));

        assertEquals(INVALID, validate(cached), "the cache is checked against the revocations too");
        assertEquals(INVALID, validate(fresh));
        assertEquals(VALID, validate(sameSecondLater), "issued later within the same second");
        assertTrue(gate.revoked(cached), "the 401 can say why");
        assertTrue(gate.revoked(fresh));
        assertEquals(false, gate.revoked(sameSecondLater));
        assertEquals(VALID, validate(tokenOf("bob", "s4", millis - 1)), "other users are untouched");
    }

    /**
     * Until the revocations are known (fetched since the start, or loaded from the copy), a
     * revoked token could not be told apart: every token is refused, cached or not, after
     * waiting for them in vain.
     */
    @Test
    void everyTokenIsRefusedUntilTheRevocationsAreKnown() {
        String cached = tokenOf("alice", "s1", now * 1000);
        assertEquals(VALID, validate(cached));
        boolean[] reachable = {false};
        gate.poller = pollerReachableOnceSet(reachable);
        gate.poller.poll();
        assertFalse(gate.poller.current());
        assertEquals(INVALID, validate(cached), "a cached token");
        assertEquals(INVALID, validate(tokenOf("bob", "s2", now * 1000)), "a new one");
        assertFalse(gate.revoked(cached), "not said to be revoked");

        reachable[0] = true;
        gate.poller.poll();
        assertEquals(VALID, validate(cached));
        assertEquals(VALID, validate(tokenOf("bob", "s2", now * 1000)));
    }

    /**
     * At a first start a token waits for the revocations up to {@link TokenGate#REVOCATIONS_WAIT_MS}:
     * refused after that wait while auth cannot be reached, accepted once a poll has read them
     * meanwhile.
     */
    @Test
    void aTokenWaitsForTheRevocationsAtAFirstStartBeforeItIsRefused() throws Exception {
        String token = tokenOf("alice", "s1", now * 1000);
        boolean[] reachable = {false};
        gate.poller = pollerReachableOnceSet(reachable);
        gate.poller.poll();
        long start = System.nanoTime();
        assertEquals(INVALID, validate(token));
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waitedMillis >= TokenGate.REVOCATIONS_WAIT_MS - 10, "waited " + waitedMillis + " ms");

        boolean[] accepted = {false};
        Thread waiting = new Thread(() -> accepted[0] = validate(token) == VALID);
        waiting.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (waiting.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, waiting.getState(), "the token waits for the revocations");
        reachable[0] = true;
        gate.poller.poll();
        waiting.join(5000);
        assertTrue(accepted[0], "the waiting token is accepted once the revocations are known");
    }

    @Test
    void aSessionRevocationRefusesOnlyThatSessionsTokens() {
        long millis = now * 1000;
        String ended = tokenOf("alice", "s1", millis - 1);
        String other = tokenOf("alice", "s2", millis - 1);
        revocations.add(List.of(Revocation.ofSession("s1", millis)));
        assertEquals(INVALID, validate(ended));
        assertEquals(VALID, validate(other));
    }

    @Test
    void aTokenWithoutMillisecondsCountsAsIssuedAtTheStartOfItsSecond() {
        String token = MINTER.token(claims -> {
            claims.setSubject("alice");
            claims.setStringListClaim("groups", List.of("user"));
            claims.setIssuedAt(NumericDate.fromSeconds(now));
        });
        revocations.add(List.of(Revocation.ofSubject("alice", now * 1000)));
        assertEquals(VALID, validate(token), "a cut-off at the start of its second spares it");
        revocations.add(List.of(Revocation.ofSubject("alice", now * 1000 + 1)));
        assertEquals(INVALID, validate(token), "one a millisecond later covers it");
    }

    void setClock(long epochSeconds) {
        gate.clock = Clock.fixed(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC);
    }

    /** A poller whose feed has no revocations, and fails until {@code reachable[0]} is set. */
    RevocationPoller pollerReachableOnceSet(boolean[] reachable) {
        return RevocationFeedTest.poller(revocations, () -> {
            if (!reachable[0]) {
                throw new IOException("auth cannot be reached");
            }
            return List.of();
        });
    }

    CredentialValidationResult.Status validate(String token) {
        return gate.validate(new BearerCredential(token)).getStatus();
    }

    @Test
    void aVerifiedTokenIsNotVerifiedAgain() {
        String token = MINTER.token("alice", "user");
        assertEquals(VALID, validate(token));
        assertEquals(VALID, validate(token));
        assertEquals(1, store.calls.get());
    }

    /**
     * The last character of an RS256 signature (256 bytes, 342 characters) carries 4 unused
     * bits: 15 other spellings decode to the same signature. Even with a validator that would
     * accept them, none gets past the gate or into its cache.
     */
    @Test
    void otherSpellingsOfAVerifiedTokenAreRefusedBeforeTheValidatorAndNeverCached() {
        String token = MINTER.token("alice", "user");
        assertEquals(VALID, validate(token));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(token.charAt(token.length() - 1));
        assertEquals(0, last & 0x0f, "the canonical spelling has the unused bits clear");
        for (int low = 1; low < 16; low++) {
            String other = token.substring(0, token.length() - 1) + alphabet.charAt(last | low);
            assertEquals(INVALID, validate(other), other);
        }
        assertEquals(1, store.calls.get(), "only the canonical token reached the validator");
        assertEquals(1, gate.remembered());
    }

    @Test
    void theRememberedDecisionEndsWhenTheKeyIsWithdrawn() {
        String token = MINTER.token("alice", "user");
        assertEquals(VALID, validate(token));
        keys.kids.clear();
        assertEquals(INVALID, validate(token));
        assertEquals(1, store.calls.get(), "an unknown key never reaches the validator");
    }

    @Test
    void theRememberedDecisionEndsAtExp() {
        String token = MINTER.token("alice", "user");
        assertEquals(VALID, validate(token));
        setClock(now + 301);
        store.accept = false;
        assertEquals(INVALID, validate(token));
        assertEquals(2, store.calls.get(), "after exp the validator decides again");
    }

    @Test
    void aFullCacheMakesRoomByDroppingTheTokensThatExpireSoonest() {
        gate.cacheSize = 10;
        List<String> older = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            long exp = now + 100 + i;
            older.add(MINTER.token(claims -> claims.setExpirationTime(NumericDate.fromSeconds(exp))));
        }
        older.forEach(token -> assertEquals(VALID, validate(token)));
        assertEquals(10, gate.remembered());

        String newest = MINTER.token("alice", "user");
        assertEquals(VALID, validate(newest));
        assertEquals(VALID, validate(newest));
        assertEquals(11, store.calls.get(), "the newest token is kept although the cache was full");
        assertTrue(gate.remembered() <= 10, "never more than the cache size: " + gate.remembered());

        assertEquals(VALID, validate(older.get(0)));
        assertEquals(12, store.calls.get(), "the token expiring soonest made room, so it is validated again");
        assertEquals(VALID, validate(older.get(9)));
        assertEquals(12, store.calls.get(), "the token expiring last of the older ones is still kept");
    }

    @Test
    void aCacheSizeOfZeroValidatesEveryTime() {
        gate.cacheSize = 0;
        String token = MINTER.token("alice", "user");
        assertEquals(VALID, validate(token));
        assertEquals(VALID, validate(token));
        assertEquals(2, store.calls.get());
        assertEquals(0, gate.remembered());
    }

    @Test
    void rejectionsAreNotRemembered() {
        store.accept = false;
        String token = MINTER.token("alice", "user");
        assertEquals(INVALID, validate(token));
        store.accept = true;
        assertEquals(VALID, validate(token));
    }

    @Test
    void notBeforeInTheFutureIsRejectedBeyondTheSkew() {
        String later = MINTER.token(claims -> claims.setNotBefore(NumericDate.fromSeconds(now + 120)));
        String withinSkew = MINTER.token(claims -> claims.setNotBefore(NumericDate.fromSeconds(now + 30)));
        assertEquals(INVALID, validate(later));
        assertEquals(0, store.calls.get());
        assertEquals(VALID, validate(withinSkew));
    }

    @Test
    void tokensWithoutAKnownKeyIdNeverReachTheValidator() {
        assertEquals(INVALID, validate(MINTER.token(claims -> {}, jws -> jws.setKeyIdHeaderValue(null))));
        assertEquals(INVALID, validate(MINTER.token(claims -> {}, jws -> jws.setKeyIdHeaderValue("other"))));
        assertEquals(INVALID, validate("not.a.jwt"));
        assertEquals(INVALID, validate("a.b"));
        assertEquals(0, store.calls.get());
    }

    @Test
    void aBearerCredentialThatCannotBeReadIsRefusedNotPassedToTheValidator() {
        assertEquals(INVALID, gate.validate(new RenamedJwtCredential()).getStatus());
        assertEquals(INVALID, gate.validate(new BrokenBearerCredential()).getStatus());
        assertEquals(INVALID, gate.validate(new BearerCredential(null)).getStatus());
        assertEquals(0, store.calls.get(), "none of them reached the validator past the gate's checks");
        gate.validate(new jakarta.security.enterprise.credential.UsernamePasswordCredential("a", "b"));
        assertEquals(1, store.calls.get(), "a credential of another kind goes to the stores");
    }

    @Test
    void tokensWithoutExpOrIatOrIssuedInTheFutureAreRejectedBeforeTheValidator() {
        assertEquals(INVALID, validate(MINTER.token(claims -> claims.unsetClaim("exp"))));
        assertEquals(INVALID, validate(MINTER.token(claims -> claims.unsetClaim("iat"))));
        assertEquals(INVALID, validate(MINTER.token(claims -> claims.setIssuedAt(NumericDate.fromSeconds(now + 120)))));
        assertEquals(
                INVALID,
                validate(MINTER.token(claims -> claims.setStringClaim("exp", "soon"))),
                "an exp that is not a number counts as none");
        assertEquals(0, store.calls.get());
        assertEquals(
                VALID,
                validate(MINTER.token(claims -> claims.setIssuedAt(NumericDate.fromSeconds(now + 30)))),
                "within the clock skew");
    }

    @Test
    void tokensClaimingAnAbsurdLifetimeAreRejected() {
        assertEquals(
                INVALID,
                validate(MINTER.token(
                        claims -> claims.setExpirationTime(NumericDate.fromSeconds(now + 10L * 365 * 86400)))));
        String wrapsAround = MINTER.signed(
                MINTER.header(), MINTER.payload(claims -> {}).replaceFirst("\"exp\":[0-9]+", "\"exp\":1e30"));
        assertEquals(INVALID, validate(wrapsAround), "a huge exp is not read as some small number");
        assertEquals(0, store.calls.get());
        assertEquals(
                VALID,
                validate(MINTER.token(claims -> claims.setExpirationTime(NumericDate.fromSeconds(now + 3600)))),
                "an hour is allowed");
    }

    /** Tokens at each limit plus {@code beyond} seconds: 24 h from iat to exp, nbf and iat 60 s ahead. */
    List<String> atTheLimits(long beyond) {
        return List.of(
                MINTER.token(claims -> {
                    claims.setIssuedAt(NumericDate.fromSeconds(now));
                    claims.setExpirationTime(NumericDate.fromSeconds(now + 86_400 + beyond));
                }),
                MINTER.token(claims -> claims.setNotBefore(NumericDate.fromSeconds(now + 60 + beyond))),
                MINTER.token(claims -> claims.setIssuedAt(NumericDate.fromSeconds(now + 60 + beyond))));
    }

    @Test
    void theLifetimeAndSkewLimitsHoldToTheSecond() {
        for (String token : atTheLimits(0)) {
            assertEquals(VALID, validate(token), "at the limit");
        }
        int valid = store.calls.get();
        for (String token : atTheLimits(1)) {
            assertEquals(INVALID, validate(token), "a second beyond it");
        }
        assertEquals(valid, store.calls.get(), "none of those reaches the validator");
    }

    @Test
    void aCriticalHeaderExtensionIsRejected() {
        assertEquals(INVALID, validate(MINTER.token(claims -> {}, jws -> jws.setCriticalHeaderNames("x-unknown"))));
        assertEquals(0, store.calls.get());
    }

    @Test
    void repeatedMembersInHeaderOrPayloadAreRejected() {
        String header = MINTER.header();
        String payload = MINTER.payload(claims -> {});
        assertEquals(VALID, validate(MINTER.signed(header, payload)), "a plain raw-signed token passes the gate");
        String twoAlgs = header.replace("{", "{\"alg\":\"none\",");
        String twoSubs = payload.replace("{", "{\"sub\":\"admin\",");
        assertEquals(INVALID, validate(MINTER.signed(twoAlgs, payload)));
        assertEquals(INVALID, validate(MINTER.signed(header, twoSubs)));
        assertEquals(1, store.calls.get(), "neither reaches the validator");
    }

    @Test
    void onlyTheOneSpellingOfATokenIsAccepted() {
        String token = MINTER.token("alice", "user");
        assertEquals(INVALID, validate(token + "=="), "padding");
        assertEquals(INVALID, validate(token.replace('-', '+').replace('_', '/') + "+"), "standard alphabet");
        assertEquals(INVALID, validate(token.substring(0, token.lastIndexOf('.') + 1)), "empty signature");
        assertEquals(0, store.calls.get());
        assertEquals(VALID, validate(token));
    }

    @Test
    void aDeeplyNestedPayloadIsRejectedWithoutParsingIt() {
        String nested =
                MINTER.payload(claims -> {}).replace("{", "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + ",");
        assertEquals(INVALID, validate(MINTER.signed(MINTER.header(), nested)));
        assertEquals(0, store.calls.get());
    }

    @Test
    void aPayloadThatIsNotUtf8IsRejected() {
        String header = TokenMinter.base64url(MINTER.header());
        String payload = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xff, '"', '}'});
        assertEquals(INVALID, validate(header + "." + payload + ".c2ln"));
        assertEquals(0, store.calls.get());
    }

    @Test
    void otherCredentialsGoStraightToTheStores() {
        Credential password = new jakarta.security.enterprise.credential.UsernamePasswordCredential("a", "b");
        assertEquals(VALID, gate.validate(password).getStatus());
        assertEquals(1, store.calls.get());
    }

    @Test
    void keyIdsAreLoggedPrintably() {
        assertEquals("a?b", TokenGate.printable("a\nb"));
        assertEquals(67, TokenGate.printable("k".repeat(500)).length());
    }
}
