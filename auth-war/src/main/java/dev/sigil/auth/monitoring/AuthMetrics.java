package dev.sigil.auth.monitoring;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * The auth service's counters, in MicroProfile Metrics' application registry (served by the
 * server at {@code /metrics?scope=application}, Prometheus text). Every counter is registered
 * at start-up, so a dashboard sees zeros rather than missing series. Controls built without CDI
 * (unit tests) hold {@link #NONE}, which counts nothing.
 */
@ApplicationScoped
public class AuthMetrics {

    /** Counts nothing. */
    public static final AuthMetrics NONE = new AuthMetrics();

    public enum LoginOutcome {
        OK,
        FAILED,
        THROTTLED
    }

    @Inject
    MetricRegistry registry;

    private Counter[] logins;
    private Counter refreshes;
    private Counter reuses;
    private Counter rotations;
    private Counter purged;
    private final AtomicLong storedRefreshTokens = new AtomicLong(-1);

    /** Created with the application, not at the first event, so every series exists from the start. */
    void start(@Observes Startup startup) {
        // creating the bean registered the counters
    }

    @PostConstruct
    void register() {
        Metadata login = Metadata.builder()
                .withName("sigil_logins")
                .withDescription(
                        "Login attempts by outcome: ok, failed (wrong or unknown credentials), throttled (429)")
                .build();
        logins = new Counter[LoginOutcome.values().length];
        for (LoginOutcome outcome : LoginOutcome.values()) {
            logins[outcome.ordinal()] =
                    registry.counter(login, new Tag("outcome", outcome.name().toLowerCase()));
        }
        refreshes = registry.counter(Metadata.builder()
                .withName("sigil_refreshes")
                .withDescription("Refresh tokens spent for a new token pair")
                .build());
        reuses = registry.counter(Metadata.builder()
                .withName("sigil_refresh_reuse_detections")
                .withDescription("Spent refresh tokens presented again; each revoked its whole session")
                .build());
        rotations = registry.counter(Metadata.builder()
                .withName("sigil_key_rotations")
                .withDescription("Signing keys published by rotation, scheduled or requested")
                .build());
        purged = registry.counter(Metadata.builder()
                .withName("sigil_refresh_tokens_purged")
                .withDescription(
                        "Refresh token rows deleted by the purge: expired or revoked longer ago than the retention")
                .build());
        registry.gauge(
                Metadata.builder()
                        .withName("sigil_refresh_tokens_stored")
                        .withDescription(
                                "Refresh token rows in the database, counted by this instance's last purge (-1: none yet)")
                        .build(),
                storedRefreshTokens::get);
    }

    public void login(LoginOutcome outcome) {
        if (logins != null) {
            logins[outcome.ordinal()].inc();
        }
    }

    public void refreshed() {
        if (refreshes != null) {
            refreshes.inc();
        }
    }

    public void reuseDetected() {
        if (reuses != null) {
            reuses.inc();
        }
    }

    public void purged(long rows) {
        if (purged != null) {
            purged.inc(rows);
        }
    }

    public void refreshTokensStored(long rows) {
        storedRefreshTokens.set(rows);
    }

    public void rotated() {
        if (rotations != null) {
            rotations.inc();
        }
    }
}
