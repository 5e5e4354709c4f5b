package dev.sigil.business;

import static dev.sigil.testkit.HttpJson.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.JwksServer;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.TokenMinter;
import java.io.IOException;
import java.net.URL;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How business keeps validating when the key source misbehaves. A {@link JwksServer} in the
 * test plays auth's JWKS endpoint: it publishes, withdraws, fails and hangs on command. The WAR
 * polls it every 2 seconds here (30 when shipped), which is the only changed setting.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class KeyResilienceIT {

    static final JwksServer AUTH = new JwksServer();
    static final TokenMinter CURRENT = BusinessIT.MINTER;
    static final TokenMinter NEXT = new TokenMinter(BusinessIT.ISSUER, "business");
    static final TokenMinter RETIRED = new TokenMinter(BusinessIT.ISSUER, "business");
    static final int REFRESH_SECONDS = 2;

    @ArquillianResource
    URL base;

    HttpJson business;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        AUTH.publish(CURRENT);
        return BusinessIT.war(AUTH.url(), "sigil.keys.refresh-seconds=" + REFRESH_SECONDS, "sigil.keys.min-refetch-seconds=1");
    }

    @BeforeEach
    void authAnswers() {
        AUTH.publish(CURRENT);
        business = new HttpJson(base.toString());
    }

    @AfterEach
    void authAnswersAgain() {
        AUTH.answer();
    }

    Reply dashboard(String token) {
        return business.get("/dashboard", bearer(token));
    }

    @Test
    void knownKeysKeepValidatingWhileAuthFails() {
        assertEquals(200, dashboard(CURRENT.token("alice", "user")).status());
        AUTH.fail();
        pause(REFRESH_SECONDS * 1000 + 500);
        Reply reply = dashboard(CURRENT.token("bob", "user"));
        assertEquals(200, reply.status(), "a new token of a known key, auth failing: " + reply);
    }

    @Test
    void aHungAuthDoesNotDelayTokensOfKnownKeys() {
        assertEquals(200, dashboard(CURRENT.token("alice", "user")).status());
        AUTH.hang();
        pause(REFRESH_SECONDS * 1000 + 500);
        for (int i = 0; i < 5; i++) {
            long start = System.nanoTime();
            Reply reply = dashboard(CURRENT.token("carol-" + i, "user"));
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, reply.status(), reply::toString);
            assertTrue(ms < 1000, "answered in " + ms + " ms while auth hangs");
        }
        long start = System.nanoTime();
        Reply unknown = dashboard(NEXT.token("dave", "user"));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(401, unknown.status(), unknown::toString);
        assertTrue(ms < 3000, "an unknown key waits for the hung auth only briefly: " + ms + " ms");
    }

    @Test
    void aNewlyPublishedKeyIsFetchedOnFirstSight() {
        pause(1100);
        AUTH.publish(CURRENT, NEXT);
        Reply reply = dashboard(NEXT.token("erin", "user"));
        assertEquals(200, reply.status(), "the first token of a new key: " + reply);
    }

    @Test
    void unknownKeyIdsFetchAtMostOncePerInterval() {
        pause(1100);
        int before = AUTH.requests();
        for (int i = 0; i < 20; i++) {
            Reply reply = dashboard(BusinessIT.STRANGER.token("mallory", "user"));
            assertEquals(401, reply.status(), reply::toString);
            assertEquals("Invalid token", reply.detail());
        }
        int fetches = AUTH.requests() - before;
        assertTrue(fetches <= 3, "20 unknown key ids caused " + fetches + " fetches");
    }

    @Test
    void aWithdrawnKeyStopsValidatingWithinTheRefreshPeriod() {
        AUTH.publish(CURRENT, RETIRED);
        pause(REFRESH_SECONDS * 1000 + 500);
        String token = RETIRED.token("frank", "user");
        assertEquals(200, dashboard(token).status(), "validated and remembered");

        AUTH.publish(CURRENT);
        long deadline = System.nanoTime() + (REFRESH_SECONDS * 3L) * 1_000_000_000L;
        int status = 200;
        while (status == 200 && System.nanoTime() < deadline) {
            pause(250);
            status = dashboard(token).status();
        }
        assertEquals(401, status, "a token of a withdrawn key, even one validated before");
        assertEquals(200, dashboard(CURRENT.token("grace", "user")).status());
    }

    @Test
    void notBeforeInTheFutureIsRejected() {
        long now = NumericDate.now().getValue();
        String early = CURRENT.token(claims -> {
            claims.setStringListClaim("groups", "user");
            claims.setNotBefore(NumericDate.fromSeconds(now + 300));
        });
        Reply reply = dashboard(early);
        assertEquals(401, reply.status(), reply::toString);
        assertEquals("Invalid token", reply.detail());

        String withinSkew = CURRENT.token(claims -> {
            claims.setStringListClaim("groups", "user");
            claims.setNotBefore(NumericDate.fromSeconds(now + 30));
        });
        assertEquals(200, dashboard(withinSkew).status());
    }

    @Test
    void aTokenWithoutKeyIdIsRejected() {
        String token = CURRENT.token(claims -> claims.setStringListClaim("groups", "user"),
                jws -> jws.setKeyIdHeaderValue(null));
        assertEquals(401, dashboard(token).status());
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
