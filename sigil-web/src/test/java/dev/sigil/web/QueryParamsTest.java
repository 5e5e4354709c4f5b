package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueryParamsTest {

    @Test
    void aWholeNumberInAsciiDigitsWithinItsRange() {
        assertEquals(20, QueryParams.wholeNumber("size", null, 20, 1, 100), "absent");
        assertEquals(20, QueryParams.wholeNumber("size", "", 20, 1, 100), "empty");
        assertEquals(3, QueryParams.wholeNumber("page", "3", 0, 0, 100));
        assertEquals(3, QueryParams.wholeNumber("page", "+3", 0, 0, 100));
        assertEquals(7, QueryParams.wholeNumber("page", "007", 0, 0, 100));
        for (String bad : List.of(
                "\u0663",
                "\u0661\u0660",
                "\uff13",
                "3\u0660",
                "x",
                "1e3",
                "3.0",
                " 3",
                "-1",
                "101",
                "--3",
                "99999999999")) {
            ApiException refused =
                    assertThrows(ApiException.class, () -> QueryParams.wholeNumber("page", bad, 0, 0, 100), bad);
            assertEquals(400, refused.status(), bad);
            assertEquals("page: must be a whole number from 0 to 100", refused.detail(), bad);
            assertEquals("page", refused.field(), bad);
        }
    }
}
