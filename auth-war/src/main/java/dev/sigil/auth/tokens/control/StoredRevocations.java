package dev.sigil.auth.tokens.control;

import dev.sigil.jwt.Revocation;
import dev.sigil.jwt.RevocationSource;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.util.List;

/**
 * Auth's token gate learns revocations from the database rather than from its own feed over
 * the network: those made on this instance are applied at once anyway, and those made on
 * another instance sharing the database arrive with the next poll, which also pushes them to
 * this instance's revocation streams ({@link RevocationBroadcast}).
 */
@Alternative
@Priority(Interceptor.Priority.APPLICATION)
@ApplicationScoped
public class StoredRevocations implements RevocationSource {

    @Inject
    Revocations revocations;

    @Inject
    RevocationBroadcast broadcast;

    @Inject
    TokenLifetimes lifetimes;

    @Override
    public List<Revocation> fetch() throws IOException {
        List<Revocation> live;
        try {
            lifetimes.follow(); // once a poll here, not at every request for the public feed
            live = revocations.live();
        } catch (RuntimeException e) {
            throw new IOException("cannot read the stored revocations", e);
        }
        broadcast.stored(live);
        return live;
    }

    @Override
    public boolean ownStore() {
        return true;
    }

    @Override
    public String describe() {
        return "this service's database";
    }
}
