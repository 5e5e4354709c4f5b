package dev.sigil.auth.tokens.control;

import dev.sigil.jwt.Revocation;
import dev.sigil.jwt.RevocationFeed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Decides what the {@link RevocationStreams} push, as feed documents signed like the polled
 * feed: a revocation made on this instance once its transaction has committed (never one that
 * rolled back), and, from the stored revocations this instance reads every poll period, those
 * another auth instance sharing the database made. Each entry is pushed once; a repeat would do
 * no harm, since validators only ever add.
 */
@ApplicationScoped
public class RevocationBroadcast {

    private static final Logger LOG = Logger.getLogger(RevocationBroadcast.class.getName());

    @Inject
    TokenIssuer issuer;

    @Inject
    RevocationStreams streams;

    Clock clock = Clock.systemUTC();

    private final Set<Revocation> pushed = new HashSet<>();

    /** The feed document of these revocations, signed with the current token key. */
    public String document(List<Revocation> revocations) {
        return issuer.sign(RevocationFeed.payload(revocations, clock.instant().getEpochSecond()), RevocationFeed.TYPE);
    }

    /** A revocation of this instance, once stored. */
    void made(@Observes(during = TransactionPhase.AFTER_SUCCESS) Revocation revocation) {
        push(news(List.of(revocation), false));
    }

    /** The revocations stored now, by whichever instance: pushes those not pushed before. */
    public void stored(List<Revocation> live) {
        push(news(live, true));
    }

    /**
     * The entries of {@code revocations} not pushed before, now counted as pushed. With
     * {@code complete}, they are every live one, so the others are forgotten.
     */
    synchronized List<Revocation> news(List<Revocation> revocations, boolean complete) {
        List<Revocation> news = revocations.stream()
                .filter(revocation -> !pushed.contains(revocation))
                .toList();
        if (complete) {
            pushed.retainAll(new HashSet<>(revocations));
        }
        pushed.addAll(news);
        return news;
    }

    /** Pushes news if a stream is open; a failure is logged, and the validators' poll repairs it. */
    private void push(List<Revocation> news) {
        if (!news.isEmpty() && streams.size() > 0) {
            try {
                streams.send(document(news));
            } catch (RuntimeException e) {
                LOG.warning(() -> "Cannot push " + news.size()
                        + " revocation(s); validators get them with their next poll: " + e);
            }
        }
    }
}
