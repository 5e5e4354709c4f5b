package dev.sigil.web;

import java.time.Instant;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Where a challenge comes from: the realm is the service's context root ("auth", "business"),
 * and the clock skew is the validator's own, so "expired" means what the validator meant.
 */
public final class Realm {

    private Realm() {
    }

    /** The realm of a service: its context root without slashes. */
    public static String of(String contextPath) {
        String name = contextPath == null ? "" : contextPath.replace("/", "");
        return name.isEmpty() ? "sigil" : name;
    }

    static BearerChallenge rejected(String contextPath, String authorization) {
        long skew = ConfigProvider.getConfig()
                .getOptionalValue("mp.jwt.verify.clock.skew", Long.class).orElse(0L);
        return BearerChallenge.rejected(of(contextPath), authorization, Instant.now(), skew);
    }
}
