package dev.sigil.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sigil.jwt.Revocation;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevocationBroadcastTest {

    final RevocationBroadcast cut = new RevocationBroadcast();
    final Revocation alice = Revocation.ofSubject("alice", 1000);
    final Revocation session = Revocation.ofSession("s1", 2000);
    final Revocation later = Revocation.ofSubject("alice", 3000);

    @Test
    void eachStoredRevocationIsNewOnce() {
        assertEquals(List.of(alice, session), cut.news(List.of(alice, session), true));
        assertEquals(List.of(), cut.news(List.of(alice, session), true));
        assertEquals(List.of(later), cut.news(List.of(alice, session, later), true), "a later cut-off is news");
    }

    @Test
    void aRevocationPushedWhenMadeIsNotNewWhenReadFromTheDatabase() {
        assertEquals(List.of(alice), cut.news(List.of(alice), false));
        assertEquals(
                List.of(session), cut.news(List.of(alice, session), true), "made elsewhere: read from the database");
    }

    @Test
    void revocationsNoLongerStoredAreForgotten() {
        cut.news(List.of(alice, session), true);
        cut.news(List.of(session), true);
        assertEquals(
                List.of(alice), cut.news(List.of(alice), false), "forgotten once expired, so memory stays bounded");
    }
}
