package dev.sigil.business;

import static dev.sigil.testkit.HttpJson.bearer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sigil.testkit.Concurrently;
import dev.sigil.testkit.HttpJson;
import dev.sigil.testkit.Reply;
import dev.sigil.testkit.ServerEndpoints;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orders domain of the business WAR as built, with callers identified by tokens from the
 * test minter. Each test uses subjects of its own, so tests share no orders.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class OrdersIT {

    @ArquillianResource
    URL base;

    HttpJson business;
    String alice;
    String bob;
    String admin;

    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        return BusinessIT.deployment();
    }

    @BeforeEach
    void callers() throws InterruptedException {
        ServerEndpoints.awaitApplication(base.toString(), "/status");
        business = new HttpJson(base.toString());
        alice = BusinessIT.MINTER.token("alice-" + UUID.randomUUID(), "user");
        bob = BusinessIT.MINTER.token("bob-" + UUID.randomUUID(), "user");
        admin = BusinessIT.MINTER.token("ops-" + UUID.randomUUID(), "user", "admin");
    }

    Reply place(String token, String item, int quantity) {
        return business.post("/orders", "{\"item\":\"" + item + "\",\"quantity\":" + quantity + "}", bearer(token));
    }

    String placed(String token, String item) {
        Reply reply = place(token, item, 1);
        assertEquals(201, reply.status(), reply::toString);
        return reply.json().getString("id");
    }

    @Test
    void placingAnOrderAnswersCreatedWithItsLocation() {
        Reply reply = place(alice, "  teapot ", 2);
        assertEquals(201, reply.status(), reply::toString);
        JsonObject order = reply.json();
        assertEquals("teapot", order.getString("item"));
        assertEquals(2, order.getInt("quantity"));
        assertEquals("OPEN", order.getString("status"));
        assertEquals(BusinessIT.subject(alice), order.getString("owner"));
        assertEquals(
                "/business/orders/" + order.getString("id"),
                reply.header("Location"),
                "a path: no scheme or host taken from what the container saw");

        Reply read = business.get("/orders/" + order.getString("id"), bearer(alice));
        assertEquals(200, read.status(), read::toString);
        assertEquals(order, read.json());
        for (Reply own : List.of(reply, read, business.get("/orders", bearer(alice)))) {
            assertEquals("no-store", own.header("Cache-Control"), own::toString);
        }
    }

    @Test
    void invalidOrdersAreRejectedFieldByFieldAndNothingIsStored() {
        Reply reply = business.post("/orders", "{\"item\":\" \",\"quantity\":0}", bearer(alice));
        assertEquals(400, reply.status(), reply::toString);
        JsonObject errors = reply.json().getJsonObject("errors");
        assertEquals("must not be blank", errors.getJsonArray("item").getString(0));
        assertEquals(
                "must be greater than or equal to 1",
                errors.getJsonArray("quantity").getString(0));
        assertEquals("item: must not be blank; quantity: must be greater than or equal to 1", reply.detail());
        Reply wrongType = business.post("/orders", "{\"item\":\"x\",\"quantity\":\"many\"}", bearer(alice));
        assertEquals(400, wrongType.status(), wrongType::toString);
        assertEquals(
                "must be a JSON number",
                wrongType
                        .json()
                        .getJsonObject("errors")
                        .getJsonArray("quantity")
                        .getString(0),
                "a member of the wrong type is an error of that field too");

        for (String body : List.of(
                "{\"item\":\"x\",\"quantity\":1001}",
                "{\"item\":\"" + "x".repeat(201) + "\",\"quantity\":1}",
                "{\"item\":\"x\"}",
                "{\"item\":\"x\",\"quantity\":\"many\"}",
                "{\"item\":",
                "",
                "[]",
                "{\"item\":\"x\",\"quantity\":1.5}",
                "{\"item\":\"x\",\"quantity\":1e-1}",
                "{\"item\":\"x\",\"quantity\":1e4}",
                "{\"item\":\"x\",\"quantity\":1." + "0".repeat(1000) + "1}",
                "{\"item\":\"x\",\"quantity\":1." + "0".repeat(60_000) + "}",
                "{\"item\":\"x\",\"quantity\":100e2147483647}",
                "{\"item\":\"tea\\u0000pot\",\"quantity\":1}",
                "{\"item\":\"\\u00a0\",\"quantity\":1}",
                "{\"item\":\"\\u200b\\u200b\",\"quantity\":1}",
                "{\"item\":\"tea\\u001b[2Jpot\",\"quantity\":1}",
                "{\"item\":\"\\u202egnp.exe\",\"quantity\":1}")) {
            Reply bad = business.post("/orders", body, bearer(alice));
            assertEquals(400, bad.status(), () -> body + " -> " + bad);
            assertTrue(bad.header("Content-Type").startsWith("application/json"), bad::toString);
        }
        for (String large : List.of("99999999999999", "1e2000")) {
            Reply tooLarge = business.post("/orders", "{\"item\":\"x\",\"quantity\":" + large + "}", bearer(alice));
            assertEquals(
                    List.of("must be less than or equal to 1000"),
                    tooLarge.json()
                            .getJsonObject("errors")
                            .getJsonArray("quantity")
                            .getValuesAs(JsonString::getString),
                    "a large whole number is told it is too large, not that it is no whole number: " + tooLarge);
        }
        assertEquals(0, business.get("/orders", bearer(alice)).json().getInt("total"), "no order was stored");
    }

    @Test
    void anItemIsVisibleTextAndItsBoundsHold() {
        for (String[] bad : List.of(
                new String[] {"\\u00a0\\u2007\\u202f", "must not be blank"},
                new String[] {"\\u200b\\ufeff\\u3164", "must not be blank"},
                new String[] {"tea\\u001b[2Jpot", "must not contain control characters"},
                new String[] {"tea\\npot", "must not contain control characters"},
                new String[] {"\\u202egnp.exe", "must not contain direction controls"},
                new String[] {"x".repeat(201), "must be at most 200 UTF-16 code units (an emoji may count as two)"},
                new String[] {
                    "\\ud83d\\ude00".repeat(101), "must be at most 200 UTF-16 code units (an emoji may count as two)"
                })) {
            Reply reply = business.post("/orders", "{\"item\":\"" + bad[0] + "\",\"quantity\":1}", bearer(alice));
            assertEquals(400, reply.status(), () -> bad[0] + " -> " + reply);
            assertEquals(
                    List.of(bad[1]),
                    reply.json().getJsonObject("errors").getJsonArray("item").getValuesAs(JsonString::getString),
                    () -> bad[0] + " -> " + reply);
        }
        assertEquals(0, business.get("/orders", bearer(alice)).json().getInt("total"), "no order was stored");

        Reply spaced = place(alice, "\\u00a0\\u200bteapot\\u00a0", 1000);
        assertEquals(201, spaced.status(), spaced::toString);
        assertEquals("teapot", spaced.json().getString("item"), "no-break and zero-width spaces go at both ends");
        assertEquals(1000, spaced.json().getInt("quantity"));
        String longest = "x".repeat(200);
        assertEquals(
                longest,
                business.get("/orders/" + placed(alice, longest), bearer(alice))
                        .json()
                        .getString("item"));
        String smiles = "\ud83d\ude00".repeat(100); // 200 UTF-16 code units
        assertEquals(
                smiles,
                business.get("/orders/" + placed(alice, smiles), bearer(alice))
                        .json()
                        .getString("item"));
        String joined = "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 th\u00e9i\u00e8re";
        assertEquals(
                joined,
                business.get("/orders/" + placed(alice, joined), bearer(alice))
                        .json()
                        .getString("item"));
        assertEquals(4, business.get("/orders", bearer(alice)).json().getInt("total"));
    }

    Reply placeWithKey(String token, String key, String body) {
        return business.post("/orders", body, "Authorization", "Bearer " + token, "Idempotency-Key", key);
    }

    /**
     * A placement repeated with its Idempotency-Key, as a client retries after a lost answer,
     * answers the order the key placed and places nothing new: one after the other, and eight
     * at once. The key is the caller's own; another item or quantity under it is a 422.
     */
    @Test
    void aPlacementRepeatedWithItsIdempotencyKeyPlacesOneOrder() throws Exception {
        String body = "{\"item\":\"teapot\",\"quantity\":2}";
        Reply first = placeWithKey(alice, "retry-1", body);
        assertEquals(201, first.status(), first::toString);
        Reply again = placeWithKey(alice, "\"retry-1\"", body);
        assertEquals(201, again.status(), again::toString);
        assertEquals(first.json(), again.json(), "the same order, the key also as a structured-field string");
        assertEquals(first.header("Location"), again.header("Location"));

        List<Reply> atOnce = Concurrently.atOnce(8, i -> placeWithKey(alice, "retry-2", body));
        atOnce.forEach(reply -> assertEquals(201, reply.status(), reply::toString));
        assertEquals(
                1,
                atOnce.stream()
                        .map(reply -> reply.json().getString("id"))
                        .distinct()
                        .count(),
                "eight requests at once, one order");

        Reply otherQuantity = placeWithKey(alice, "retry-1", "{\"item\":\"teapot\",\"quantity\":3}");
        assertEquals(422, otherQuantity.status(), otherQuantity::toString);
        assertEquals("The Idempotency-Key was used for another order", otherQuantity.detail());
        assertTrue(otherQuantity.header("Content-Type").startsWith("application/json"), otherQuantity::toString);
        Reply bobsOwn = placeWithKey(bob, "retry-1", body);
        assertEquals(201, bobsOwn.status(), bobsOwn::toString);
        assertNotEquals(first.json().getString("id"), bobsOwn.json().getString("id"), "keys are each caller's own");
        Reply withoutKey = place(alice, "teapot", 2);
        assertEquals(201, withoutKey.status(), withoutKey::toString);

        assertEquals(3, business.get("/orders", bearer(alice)).json().getInt("total"));
        assertEquals(1, business.get("/orders", bearer(bob)).json().getInt("total"));
    }

    @Test
    void anIdempotencyKeyOfAnotherFormIsABadRequestAndPlacesNothing() {
        String body = "{\"item\":\"teapot\",\"quantity\":1}";
        for (String bad :
                List.of("", "\"\"", "x".repeat(256), "with space", "with,comma", "quote\"inside", "back\\slash")) {
            Reply reply = placeWithKey(alice, bad, body);
            assertEquals(400, reply.status(), () -> bad + " -> " + reply);
            assertTrue(reply.detail().startsWith("Idempotency-Key must be one value"), reply::toString);
        }
        Reply two = business.post(
                "/orders", body, "Authorization", "Bearer " + alice, "Idempotency-Key", "a", "Idempotency-Key", "b");
        assertEquals(400, two.status(), two::toString);
        Reply longest = placeWithKey(alice, "k".repeat(255), body);
        assertEquals(201, longest.status(), longest::toString);
        assertEquals(1, business.get("/orders", bearer(alice)).json().getInt("total"), "only the valid one placed");
    }

    @Test
    void aWholeQuantityCountsInEveryJsonSpelling() {
        String carol = BusinessIT.MINTER.token("carol-" + UUID.randomUUID(), "user");
        for (String quantity : List.of("2", "2.0", "2.000", "2e0", "2E+0", "0.2e1", "20e-1", "2." + "0".repeat(1000))) {
            Reply reply = business.post(
                    "/orders",
                    "{\"item\":\"spelled " + quantity.length() + "\",\"quantity\":" + quantity + "}",
                    bearer(carol));
            assertEquals(201, reply.status(), () -> quantity + " -> " + reply);
            assertEquals(2, reply.json().getInt("quantity"), reply::toString);
        }
        assertEquals(8, business.get("/orders", bearer(carol)).json().getInt("total"));
    }

    @Test
    void theCallersOrdersAreListedNewestFirstInPages() throws InterruptedException {
        for (String item : List.of("first", "second", "third")) {
            placed(alice, item);
            Thread.sleep(5);
        }
        placed(bob, "not alice's");

        JsonObject page = business.get("/orders?size=2", bearer(alice)).json();
        assertEquals(3, page.getInt("total"));
        assertEquals(List.of("third", "second"), items(page));
        JsonObject next = business.get("/orders?size=2&page=1", bearer(alice)).json();
        assertEquals(List.of("first"), items(next));
        assertEquals(20, business.get("/orders", bearer(alice)).json().getInt("size"), "the default page size");
    }

    @Test
    void badPagingIsABadRequest() {
        for (String query : List.of(
                "page=-1", "page=x", "size=0", "size=101", "size=1e3", "all=yes", "page=%D9%A3", "size=%EF%BC%93")) {
            Reply reply = business.get("/orders?" + query, bearer(alice));
            assertEquals(400, reply.status(), () -> query + " -> " + reply);
            String name = query.substring(0, query.indexOf('='));
            assertTrue(reply.detail().startsWith(name + ": "), () -> query + " -> " + reply);
            assertTrue(reply.json().getJsonObject("errors").containsKey(name), () -> query + " -> " + reply);
        }
        // a parameter given twice means two things to two readers: refused, however spelled
        for (String query : List.of("all=false&all=true", "size=5&size=500", "size=5&s%69ze=6")) {
            Reply reply = business.get("/orders?" + query, bearer(alice));
            assertEquals(400, reply.status(), () -> query + " -> " + reply);
            assertEquals(query.substring(0, query.indexOf('=')) + ": given more than once", reply.detail());
            String name = query.substring(0, query.indexOf('='));
            assertTrue(reply.json().getJsonObject("errors").containsKey(name), () -> query + " -> " + reply);
        }
        Reply empty = business.get("/orders?all=&page=&size=", bearer(alice));
        assertEquals(200, empty.status(), () -> "empty values are absent ones: " + empty);
        assertEquals(20, empty.json().getInt("size"));
    }

    @Test
    void anotherUsersOrderDoesNotExistForTheCaller() {
        String id = placed(alice, "secret");
        assertEquals(404, business.get("/orders/" + id, bearer(bob)).status());
        Reply cancel = business.send("DELETE", "/orders/" + id, null, bearer(bob));
        assertEquals(404, cancel.status(), cancel::toString);
        assertEquals("Order not found", cancel.detail());
        assertEquals(
                "OPEN", business.get("/orders/" + id, bearer(alice)).json().getString("status"), "nothing changed");
        assertEquals(0, business.get("/orders", bearer(bob)).json().getInt("total"));
        Reply notAnId = business.get("/orders/not-an-id", bearer(alice));
        assertEquals(404, notAnId.status(), notAnId::toString);
        assertEquals("Order not found", notAnId.detail());
        // a NUL in the id never reaches the query (PostgreSQL refuses NUL in text): Payara's
        // HTTP listener refuses the path itself
        for (Reply nul : List.of(
                business.get("/orders/a%00b", bearer(alice)),
                business.send("DELETE", "/orders/%00", null, bearer(alice)))) {
            assertEquals(400, nul.status(), nul::toString);
        }
    }

    @Test
    void theOwnerCancelsAndTheDashboardCountsOpenOrders() {
        String id = placed(alice, "umbrella");
        placed(alice, "raincoat");
        assertEquals(2, business.get("/dashboard", bearer(alice)).json().getInt("open_orders"));

        Reply cancelled = business.send("DELETE", "/orders/" + id, null, bearer(alice));
        assertEquals(200, cancelled.status(), cancelled::toString);
        assertEquals("CANCELLED", cancelled.json().getString("status"));
        assertEquals(
                200,
                business.send("DELETE", "/orders/" + id, null, bearer(alice)).status(),
                "cancelling is idempotent");
        JsonObject dashboard = business.get("/dashboard", bearer(alice)).json();
        assertEquals(1, dashboard.getInt("open_orders"));
        assertEquals("Access granted", dashboard.getString("message"));
    }

    /** Eight cancellations of one order at once: one cancellation, which all eight answer alike. */
    @Test
    void concurrentCancellationsCancelOnce() throws Exception {
        String id = placed(alice, "kite");
        List<Reply> replies =
                Concurrently.atOnce(8, i -> business.send("DELETE", "/orders/" + id, null, bearer(alice)));
        String cancelledAt = business.get("/orders/" + id, bearer(alice)).json().getString("cancelled_at");
        for (Reply reply : replies) {
            assertEquals(200, reply.status(), reply::toString);
            assertEquals("CANCELLED", reply.json().getString("status"), reply::toString);
            assertEquals(cancelledAt, reply.json().getString("cancelled_at"), "the one cancellation");
        }
    }

    @Test
    void anAdministratorSeesAndCancelsEveryonesOrders() {
        String id = placed(alice, "kettle");
        assertEquals(200, business.get("/orders/" + id, bearer(admin)).status());
        Reply all = business.get("/orders?all=true&size=100", bearer(admin));
        assertEquals(200, all.status(), all::toString);
        assertTrue(all.json().getJsonArray("orders").stream()
                .map(JsonValue::asJsonObject)
                .anyMatch(order -> order.getString("id").equals(id)));
        Reply cancelled = business.send("DELETE", "/orders/" + id, null, bearer(admin));
        assertEquals("CANCELLED", cancelled.json().getString("status"));
        assertEquals(
                "CANCELLED", business.get("/orders/" + id, bearer(alice)).json().getString("status"));
    }

    @Test
    void onlyAdministratorsListEveryonesOrders() {
        Reply reply = business.get("/orders?all=true", bearer(alice));
        assertEquals(403, reply.status(), reply::toString);
        assertEquals("Forbidden", reply.detail());
        assertTrue(reply.header("WWW-Authenticate").contains("error=\"insufficient_scope\""), reply::toString);
    }

    /** A service token of group orders-reader alone, as the client credentials grant issues one. */
    @Test
    void anOrdersReaderServiceListsEveryonesOrdersAndChangesNone() {
        String id = placed(alice, "ledger");
        String reader = BusinessIT.MINTER.token("reporting-" + UUID.randomUUID(), "orders-reader");
        Reply all = business.get("/orders?all=true&size=100", bearer(reader));
        assertEquals(200, all.status(), all::toString);
        assertTrue(all.json().getJsonArray("orders").stream()
                .map(JsonValue::asJsonObject)
                .anyMatch(order -> order.getString("id").equals(id)));
        Reply place = place(reader, "forged", 1);
        assertEquals(403, place.status(), place::toString);
        Reply cancel = business.send("DELETE", "/orders/" + id, null, bearer(reader));
        assertEquals(403, cancel.status(), cancel::toString);
        assertEquals(
                "OPEN", business.get("/orders/" + id, bearer(alice)).json().getString("status"), "nothing changed");
        Reply stranger = business.get(
                "/orders?all=true", bearer(BusinessIT.MINTER.token("other-" + UUID.randomUUID(), "orders-writer")));
        assertEquals(403, stranger.status(), "only the named group reads everyone's orders");
    }

    @Test
    void ordersNeedAValidTokenInTheUserGroup() {
        Reply none = business.get("/orders");
        assertEquals(401, none.status(), none::toString);
        assertEquals("Bearer realm=\"business\"", none.header("WWW-Authenticate"));
        assertEquals(
                401, business.post("/orders", "{\"item\":\"x\",\"quantity\":1}").status());
        String guest = BusinessIT.MINTER.token("guest-" + UUID.randomUUID(), "guest");
        Reply forbidden = place(guest, "x", 1);
        assertEquals(403, forbidden.status(), forbidden::toString);
        assertEquals("Forbidden", forbidden.detail());
        Reply invalid = business.get("/orders", bearer(BusinessIT.STRANGER.token("alice", "user")));
        assertEquals(401, invalid.status(), invalid::toString);
        assertEquals("Invalid token", invalid.detail());

        // one order, by id: the same for reading and cancelling it
        String id = placed(alice, "by id");
        String forged = BusinessIT.STRANGER.token("alice", "user");
        for (String method : List.of("GET", "DELETE")) {
            Reply anonymous = business.send(method, "/orders/" + id, null);
            assertEquals(401, anonymous.status(), () -> method + " " + anonymous);
            assertEquals("Bearer realm=\"business\"", anonymous.header("WWW-Authenticate"));
            Reply notSigned = business.send(method, "/orders/" + id, null, bearer(forged));
            assertEquals(401, notSigned.status(), () -> method + " " + notSigned);
            assertEquals("Invalid token", notSigned.detail());
            Reply ofGuest = business.send(method, "/orders/" + id, null, bearer(guest));
            assertEquals(403, ofGuest.status(), () -> method + " " + ofGuest);
            assertEquals("Forbidden", ofGuest.detail());
        }
        String reader = BusinessIT.MINTER.token("reporting-" + UUID.randomUUID(), "orders-reader");
        Reply byReader = business.get("/orders/" + id, bearer(reader));
        assertEquals(403, byReader.status(), "a reader lists every order but reads none by id: " + byReader);
        assertEquals(
                "OPEN", business.get("/orders/" + id, bearer(alice)).json().getString("status"), "nothing changed");
    }

    private static List<String> items(JsonObject page) {
        return page.getJsonArray("orders").stream()
                .map(order -> order.asJsonObject().getString("item"))
                .toList();
    }
}
