package dev.sigil.web;

import java.time.Instant;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where a challenge comes from: the realm is the service's context root ("auth", "business"),
 * and the clock skew is the validator's own, so "expired" means what the validator meant.
 */
public final class Realm {

    /** Which rejected tokens were refused as revoked; set by the token gate of this application. */
    private static volatile Predicate<String> revoked = token -> false;

    private Realm() {}

    /**
     * Lets the 401 of a revoked token say so. The token gate knows which tokens it refused as
     * revoked; this module does not depend on it, so the gate hands its answer over here.
     */
    public static void describeRevocations(Predicate<String> check) {
        revoked = check;
    }

    /** The realm of a service: its context root without slashes. */
    public static String of(String contextPath) {
        String name = contextPath == null ? "" : contextPath.replace("/", "");
        return name.isEmpty() ? "sigil" : name;
    }

    /** The answer when no caller was authenticated: a misspelled Bearer header, or none at all. */
    static BearerChallenge unauthenticated(String contextPath, String authorization) {
        return BearerChallenge.isMisspelled(authorization)
                ? BearerChallenge.misspelled(of(contextPath))
                : BearerChallenge.missing(of(contextPath));
    }

    static BearerChallenge rejected(String contextPath, String authorization) {
        long skew = ConfigProvider.getConfig().getValue("mp.jwt.verify.clock.skew", Long.class);
        if (BearerChallenge.isMisspelled(authorization)) {
            return BearerChallenge.misspelled(of(contextPath));
        }
        String token = BearerChallenge.bearerToken(authorization);
        if (token != null && revoked.test(token)) {
            return BearerChallenge.revoked(of(contextPath));
        }
        return BearerChallenge.rejected(of(contextPath), authorization, Instant.now(), skew);
    }
}
