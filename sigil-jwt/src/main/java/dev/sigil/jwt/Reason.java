package dev.sigil.jwt;

import java.util.Locale;

/** Why the token gate refused a bearer token: the words of its log line and the tag of its metric. */
public enum Reason {
    MALFORMED("not a signed JWT"),
    NO_KID("no key id (kid)"),
    CRIT("critical header extension (crit)"),
    NO_EXP_OR_IAT("no exp or iat"),
    NOT_YET_VALID("not valid yet (nbf)"),
    ISSUED_IN_FUTURE("issued in the future (iat)"),
    TOO_LONG_LIVED("lifetime longer than %d s"),
    UNKNOWN_KID("unknown key id"),
    NO_KEYS("no keys known yet"),
    EXPIRED("expired"),
    INVALID("signature, type, issuer or audience check failed"),
    REVOKED("revoked"),
    REVOCATIONS_UNKNOWN("the revocations are not known yet");

    private final String message;

    Reason(String message) {
        this.message = message;
    }

    String message(long maxLifetimeSeconds) {
        return String.format(Locale.ROOT, message, maxLifetimeSeconds);
    }

    /** The value of the metric's {@code reason} tag. */
    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
