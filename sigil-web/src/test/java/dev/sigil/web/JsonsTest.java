package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonsTest {

    @Test
    void depthCountsArraysAndObjects() {
        assertFalse(Jsons.nestedDeeperThan("{\"a\":[1,{\"b\":2}]}", 3));
        assertTrue(Jsons.nestedDeeperThan("{\"a\":[1,{\"b\":[]}]}", 3));
        assertTrue(Jsons.nestedDeeperThan("[".repeat(100_000), 16), "without a stack of its own");
    }

    @Test
    void bracketsInsideStringsDoNotCount() {
        assertFalse(Jsons.nestedDeeperThan("{\"a\":\"[[[[{{{{\"}", 1));
        assertFalse(Jsons.nestedDeeperThan("{\"a\":\"\\\"[[[[\"}", 1), "an escaped quote does not end the string");
    }

    @Test
    void exactlyOneValueIsRead() {
        assertEquals(1, Jsons.readOne(" {\"a\":1} \n").asJsonObject().getInt("a"), "white space around it is fine");
        for (String text :
                List.of("{\"a\":1} trailing", "{\"a\":1}{}", "{\"a\":1} {\"a\":2}", "{}]", "1 2", "", "  ")) {
            assertThrows(JsonException.class, () -> Jsons.readOne(text), text);
        }
        assertThrows(JsonException.class, () -> Jsons.readOne("{\"a\":1,\"a\":2}"), "a repeated member");
        for (String early : List.of("{\"a\":", "{\"a\":[1,", "[", "{", "{\"a\":{\"b\":1}")) {
            assertTimeoutPreemptively(
                    Duration.ofSeconds(2),
                    () -> assertThrows(JsonException.class, () -> Jsons.readOne(early), early),
                    "text that ends early is refused, not waited on: " + early);
        }
    }

    @Test
    void aNumberNoDecimalCanHoldIsAJsonError() {
        assertEquals(
                1100,
                Jsons.readOne("{\"a\":" + "9".repeat(1100) + "}")
                        .asJsonObject()
                        .getJsonNumber("a")
                        .bigDecimalValue()
                        .precision(),
                "1100 digits are read");
        for (String number : List.of("9".repeat(1101), "1e2147483648", "1e-2147483649", "1e999999999999")) {
            assertThrows(JsonException.class, () -> Jsons.readOne("{\"a\":" + number + "}"), number);
        }
        assertEquals(
                -400,
                Jsons.readOne("[1e400]")
                        .asJsonArray()
                        .getJsonNumber(0)
                        .bigDecimalValue()
                        .scale(),
                "a large exponent within range is a number");
    }

    @Test
    void theNulCharacterIsFoundAnywhere() {
        assertFalse(Jsons.hasNul(Jsons.readOne("{\"a\":\"\\\\u0000 \\u0001\",\"b\":[0,null,false]}")));
        for (String text :
                List.of("{\"a\":\"x\\u0000\"}", "{\"\\u0000\":1}", "{\"a\":[{\"b\":\"\\u0000\"}]}", "[\"\\u0000\"]")) {
            assertTrue(Jsons.hasNul(Jsons.readOne(text)), text);
        }
    }

    @Test
    void halfASurrogatePairIsFoundAnywhere() {
        assertFalse(
                Jsons.hasLoneSurrogate(Jsons.readOne("{\"a\":\"\\ud83d\\ude00 and \u00e9\",\"b\":[1,true]}")),
                "a whole pair");
        for (String text : List.of(
                "{\"a\":\"x\\ud800\"}",
                "{\"a\":\"\\udc00x\"}",
                "{\"a\":\"\\ude00\\ud83d\"}",
                "{\"\\ud800\":1}",
                "{\"a\":[{\"b\":\"\\udbff\"}]}")) {
            assertTrue(Jsons.hasLoneSurrogate(Jsons.readOne(text)), text);
        }
    }
}
