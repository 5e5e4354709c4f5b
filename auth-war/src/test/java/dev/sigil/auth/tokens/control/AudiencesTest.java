package dev.sigil.auth.tokens.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.web.ApiException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AudiencesTest {

    Audiences cut;

    @BeforeEach
    void setUp() {
        cut = new Audiences();
        cut.self = "auth";
        cut.others = List.of("business", "reports");
        cut.accepted = List.of("auth", "business", "reports");
        cut.check();
    }

    @Test
    void aValidatorThatWouldRefuseOneOfAuthsAudiencesStopsTheStart() {
        for (List<String> accepted : List.of(List.of("business"), List.of("auth", "business"), List.of("reports"))) {
            cut.accepted = accepted;
            IllegalStateException refused = assertThrows(IllegalStateException.class, cut::check, accepted::toString);
            assertTrue(
                    refused.getMessage().contains("MP_JWT_VERIFY_AUDIENCES is business's setting"),
                    refused::getMessage);
        }
        cut.accepted = List.of("reports", "extra", "auth", "business");
        cut.check();
    }

    @Test
    void noAudienceMeansTheFirstOtherService() {
        assertEquals("business", cut.requested(null));
    }

    @Test
    void anyConfiguredAudienceMayBeAskedFor() {
        assertEquals("auth", cut.requested("auth"));
        assertEquals("reports", cut.requested("reports"));
    }

    @Test
    void anAudienceNotConfiguredIsABadRequestAboutTheAudienceField() {
        for (String unknown : List.of("billing", "", "Auth", "auth,business", " auth")) {
            ApiException refused = assertThrows(ApiException.class, () -> cut.requested(unknown), unknown);
            assertEquals(400, refused.status());
            assertEquals("audience", refused.field());
            assertEquals("must be one of auth, business, reports", refused.fieldMessage());
            assertEquals("audience: must be one of auth, business, reports", refused.detail());
        }
    }

    @Test
    void configurationsThatBlurTheAudiencesAreRefused() {
        cut.others = List.of("business", "auth");
        assertThrows(IllegalStateException.class, cut::check, "auth's audience among the others");
        cut.others = List.of("business", "business");
        assertThrows(IllegalStateException.class, cut::check, "a repeated audience");
        cut.others = List.of("busi ness");
        assertThrows(IllegalStateException.class, cut::check, "a space");
        cut.others = List.of("business");
        cut.self = "a\"uth";
        assertThrows(IllegalStateException.class, cut::check, "a quote, which would break the challenge header");
    }
}
