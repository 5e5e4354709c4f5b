package dev.sigil.business.orders.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sigil.business.orders.boundary.VisibleText.Check;
import java.util.List;
import org.junit.jupiter.api.Test;

class VisibleTextTest {

    static final List<String> INVISIBLE = List.of(
            " ",
            "\t",
            "\u00a0",
            "\u2007",
            "\u202f",
            "\u2003",
            "\u3000",
            "\u200b",
            "\u200c",
            "\u200d",
            "\u2060",
            "\ufeff",
            "\u00ad",
            "\u180e",
            "\u3164",
            "\u2800",
            "\uffa0",
            "\u115f",
            "\u034f",
            "\udb40\udc41",
            "\ufe0f",
            "\u0301",
            "\u17b4",
            "\ufff9",
            "\u206a",
            "\ud834\udd73",
            "\udb40\udd00");

    /** What a request's item meets: stripped, as {@link OrderRequest} does, then checked. */
    static String rule(String item) {
        return Check.problem(Check.strip(item));
    }

    @Test
    void textOfInvisibleCharactersAloneIsBlank() {
        assertEquals("must not be blank", rule(null));
        assertEquals("must not be blank", rule(""));
        for (String invisible : INVISIBLE) {
            String code = "U+%04X".formatted(invisible.codePointAt(0));
            assertEquals("must not be blank", rule(invisible), code);
            assertEquals("must not be blank", rule(invisible.repeat(3)), code);
            assertEquals("must not be blank", rule(invisible + "\u00a0\u200b"), code);
            assertNull(rule(invisible + "x" + invisible), code);
        }
    }

    @Test
    void invisibleCharactersGoAtBothEndsAndStayWithin() {
        assertEquals("teapot", Check.strip("\u00a0\u200b teapot\ufeff\u202f"));
        assertEquals("tea\u00a0pot", Check.strip("tea\u00a0pot"));
        assertEquals("", Check.strip("\u00a0\u2800"));
        assertNull(Check.strip(null));
        String family = "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67"; // joined by U+200D
        assertEquals(family, Check.strip(" " + family + "\u200d"));
        String england = "\ud83c\udff4\udb40\udc67\udb40\udc62\udb40\udc65\udb40\udc6e\udb40\udc67\udb40\udc7f";
        assertEquals(england, Check.strip(england), "a flag of a region ends with tag characters");
        assertNull(Check.problem(england));
        assertEquals("\u2764\ufe0f", Check.strip("\u2764\ufe0f\u00a0"), "a variation selector is no space");
    }

    @Test
    void controlCharactersAndDirectionControlsAreRefusedAnywhere() {
        for (String control : List.of(
                "\u0000", "\u0007", "\u001b", "\n", "\r", "\t", "\u007f", "\u0085", "\u009b", "\u2028", "\u2029")) {
            assertEquals(
                    "must not contain control characters",
                    Check.problem("tea" + control + "pot"),
                    "U+%04X".formatted((int) control.charAt(0)));
        }
        assertEquals("must not contain control characters", Check.problem("tea\u001b[2Jpot"));
        assertEquals(
                "must not contain direction controls",
                rule("\u202egnp.exe"),
                "a direction control is refused at the ends too, not stripped");
        for (int direction : new int[] {
            0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069
        }) {
            assertEquals(
                    "must not contain direction controls",
                    Check.problem("gnp" + Character.toString(direction) + ".exe"),
                    "U+%04X".formatted(direction));
        }
    }

    @Test
    void visibleTextInAnyScriptPasses() {
        for (String text : List.of(
                "teapot",
                "théière",
                "чайник",
                "ティーポット",
                "إبريق شاي",
                "\ud83e\uded6",
                "a\u00a0b",
                "x",
                "e\u0301",
                "-",
                "\u20ac")) {
            assertNull(Check.problem(text), text);
        }
    }
}
