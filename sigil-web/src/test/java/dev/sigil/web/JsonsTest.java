package dev.sigil.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
