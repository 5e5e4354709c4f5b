package dev.sigil.auth.tokens.control;

import dev.sigil.web.ApiException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The audiences auth signs access tokens for: its own ({@code auth.token.self-audience}), which
 * its account and administration endpoints require, and the other services'
 * ({@code auth.token.audiences}). A token names exactly one, so a service that sees a token
 * meant for it cannot replay it at another (RFC 8725 section 3.9), least of all at auth's own
 * administration. Both defaults live in {@code META-INF/microprofile-config.properties}, where
 * the validator's accepted audiences are built from them.
 */
@ApplicationScoped
public class Audiences {

    public static final String SELF_PROPERTY = "auth.token.self-audience";

    /** Printable ASCII without quote or backslash: an audience is written into a challenge header. */
    private static final Pattern NAME = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]+");

    @Inject
    @ConfigProperty(name = SELF_PROPERTY)
    String self;

    @Inject
    @ConfigProperty(name = "auth.token.audiences")
    List<String> others;

    /** What auth's own validator accepts: derived from the two above unless someone set it. */
    @Inject
    @ConfigProperty(name = "mp.jwt.verify.audiences")
    List<String> accepted;

    /** A configuration that would make audiences ambiguous stops the deployment. */
    @PostConstruct
    void check() {
        for (String audience : all()) {
            if (!NAME.matcher(audience).matches()) {
                throw new IllegalStateException("Audience \"" + audience + "\" must be printable ASCII without"
                        + " spaces, quotes or backslashes");
            }
        }
        if (others.contains(self)) {
            throw new IllegalStateException(SELF_PROPERTY + " (" + self + ") must not be one of auth.token.audiences");
        }
        if (others.stream().distinct().count() != others.size()) {
            throw new IllegalStateException("auth.token.audiences repeats an audience: " + others);
        }
        // set for business (MP_JWT_VERIFY_AUDIENCES=business), it would make auth refuse its own
        // tokens at every account and administration endpoint, without a word at start
        if (!accepted.containsAll(all())) {
            throw new IllegalStateException("mp.jwt.verify.audiences " + accepted + " must accept every audience auth"
                    + " signs for, " + all() + ": leave it derived (MP_JWT_VERIFY_AUDIENCES is business's setting)");
        }
    }

    void onStart(@Observes Startup startup) {
        self(); // creates the bean, so a bad configuration fails the deployment rather than the first login
    }

    /** Auth's own audience, the only one its account and administration endpoints accept. */
    public String self() {
        return self;
    }

    /**
     * The audience a client asked for; the first of the other services' when it named none.
     *
     * @throws ApiException 400 naming the field {@code audience} for an audience not configured
     */
    public String requested(String audience) {
        if (audience == null) {
            return others.get(0);
        }
        if (audience.equals(self) || others.contains(audience)) {
            return audience;
        }
        throw ApiException.invalidField("audience", "must be one of " + String.join(", ", all()));
    }

    private List<String> all() {
        List<String> all = new ArrayList<>(others.size() + 1);
        all.add(self);
        all.addAll(others);
        return all;
    }
}
