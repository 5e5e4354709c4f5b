package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class FormEncodingTest {

    @Test
    void decodesEscapesPlusAndUtf8() {
        assertEquals("a b+c", FormEncoding.decode("a+b%2Bc"));
        assertEquals("s\u00e9cret \ud83d\udd11", FormEncoding.decode("s%c3%A9cret+\ud83d\udd11"));
        assertEquals("", FormEncoding.decode(""));
    }

    @Test
    void refusesWhatUrlDecoderWouldPatch() {
        for (String bad : List.of("%", "%4", "%zz", "%-1", "%\u0661\u0661", "s%E9cret", "%C3", "%ED%A0%80", "\ud800")) {
            assertThrows(IllegalArgumentException.class, () -> FormEncoding.decode(bad), bad);
        }
    }
}
