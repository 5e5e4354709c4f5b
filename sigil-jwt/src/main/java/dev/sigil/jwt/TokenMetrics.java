package dev.sigil.jwt;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.Map;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code sigil_token_rejections_total{reason=…}}: bearer tokens the gate refused, by reason, in
 * MicroProfile Metrics' application registry. Every reason is registered at start-up, so each
 * series exists from zero. A gate built without CDI (unit tests) holds {@link #NONE}. Beside
 * them, {@code sigil_revocations_known}: the entries of the {@link RevocationList}, which grows
 * with auth's feed, and a feed over 1 MiB would be refused (docs/OPERATIONS.md, "Metrics").
 */
@ApplicationScoped
public class TokenMetrics {

    /** Counts nothing. */
    static final TokenMetrics NONE = new TokenMetrics();

    @Inject
    MetricRegistry registry;

    @Inject
    RevocationList revocations;

    private final Map<Reason, Counter> rejections = new EnumMap<>(Reason.class);

    /** Created with the application, not at the first event, so every series exists from the start. */
    void start(@Observes Startup startup) {
        // creating the bean registered the counters
    }

    @PostConstruct
    void register() {
        Metadata metadata = Metadata.builder()
                .withName("sigil_token_rejections")
                .withDescription("Bearer tokens refused, by reason (invalid: signature, typ, iss or aud)")
                .build();
        for (Reason reason : Reason.values()) {
            rejections.put(reason, registry.counter(metadata, new Tag("reason", reason.tag())));
        }
        registry.gauge(
                Metadata.builder()
                        .withName("sigil_revocations_known")
                        .withDescription(
                                "Revocations of users and sessions this service holds: about what auth's feed lists")
                        .build(),
                revocations::size);
    }

    public void rejected(Reason reason) {
        Counter counter = rejections.get(reason);
        if (counter != null) {
            counter.inc();
        }
    }
}
