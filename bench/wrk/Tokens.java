import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gets tokens for the benchmarks from the auth service's real endpoints.
 *
 *   java bench/wrk/Tokens.java access  AUTH_URL EMAIL PASSWORD COUNT FILE   one login, then a chain of refreshes:
 *                                                                       COUNT distinct access tokens
 *   java bench/wrk/Tokens.java refresh AUTH_URL EMAIL PASSWORD COUNT FILE   COUNT logins: COUNT refresh tokens,
 *                                                                       each the start of its own chain
 *
 * The user is registered first if needed. One token per line.
 */
public class Tokens {

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String auth = args[1];
        String credentials = "{\"email\":\"" + args[2] + "\",\"password\":\"" + args[3] + "\"}";
        int count = Integer.parseInt(args[4]);
        Path file = Path.of(args[5]);
        post(auth + "/users", credentials);
        List<String> tokens = new ArrayList<>();
        if (mode.equals("access")) {
            String body = expect(post(auth + "/login", credentials));
            tokens.add(field(body, "access_token"));
            String refresh = field(body, "refresh_token");
            while (tokens.size() < count) {
                body = expect(post(auth + "/refresh", "{\"refresh_token\":\"" + refresh + "\"}"));
                tokens.add(field(body, "access_token"));
                refresh = field(body, "refresh_token");
            }
        } else {
            for (int i = 0; i < count; i++) {
                tokens.add(field(expect(post(auth + "/login", credentials)), "refresh_token"));
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, tokens);
        System.out.println(tokens.size() + " " + mode + " tokens in " + file);
    }

    static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String expect(HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(response.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return matcher.group(1);
    }
}
