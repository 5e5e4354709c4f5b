package dev.sigil.auth.login.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client address a login attempt is counted against by the {@link LoginThrottle}.
 * <p>
 * Normally the connection's peer. Behind a reverse proxy every peer is the proxy, and the
 * per-address lockout would lock all clients at once after a few of them mistyped; so for a
 * peer listed in {@code auth.throttle.trusted-proxies} (comma-separated addresses, none by
 * default) the address comes from {@code X-Forwarded-For}: the rightmost entry that is not
 * itself a trusted proxy. Proxies append the address they saw, so that entry was written by a
 * trusted proxy; everything left of it is the client's own claim and is never used. A header
 * whose entry there is not an address is ignored.
 * <p>
 * Addresses are compared as addresses, not as text: {@code ::ffff:10.0.0.1} is {@code 10.0.0.1},
 * and an IPv6 client is counted by its /64, since one host is routinely handed a whole /64 and
 * could otherwise step through 2<sup>64</sup> addresses. Only literals are parsed; no name is
 * ever looked up.
 */
@ApplicationScoped
public class ClientAddress {

    private static final Logger LOG = Logger.getLogger(ClientAddress.class.getName());
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    @Inject
    @ConfigProperty(name = "auth.throttle.trusted-proxies")
    Optional<String> trustedProxies = Optional.empty();

    private Set<InetAddress> trusted;

    /** The client of a request: its peer, or what a trusted proxy says. */
    public String of(HttpServletRequest request) {
        return of(request.getRemoteAddr(), forwardedFor(request.getHeaders("X-Forwarded-For")));
    }

    /**
     * Every {@code X-Forwarded-For} line in order, as one list (RFC 9110 section 5.3): a proxy
     * that adds a line of its own rather than extending the client's must not leave the client's
     * line, read first, to speak for the client. Null when there is none.
     */
    static String forwardedFor(Enumeration<String> lines) {
        return lines == null || !lines.hasMoreElements() ? null : String.join(",", Collections.list(lines));
    }

    /**
     * @param peer the connection's remote address
     * @param forwardedFor the {@code X-Forwarded-For} header, or null
     * @return the client's key for counting: an IPv4 address, or an IPv6 prefix written {@code 2001:db8:0:1::/64}
     */
    public String of(String peer, String forwardedFor) {
        Optional<InetAddress> peerAddress = parse(peer);
        Set<InetAddress> proxies = trusted();
        if (forwardedFor == null || peerAddress.isEmpty() || !proxies.contains(peerAddress.get())) {
            return peerAddress.map(ClientAddress::key).orElse(peer);
        }
        List<String> hops =
                Arrays.stream(forwardedFor.split(",")).map(String::strip).toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<InetAddress> hop = parse(hops.get(i));
            if (hop.isEmpty()) {
                break;
            }
            if (!proxies.contains(hop.get())) {
                return key(hop.get());
            }
        }
        return key(peerAddress.get());
    }

    /** An IPv4 or IPv6 literal (IPv4-mapped IPv6 as IPv4), without any name lookup; empty for anything else. */
    static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        int zone = literal.indexOf('%');
        literal = zone >= 0 ? literal.substring(0, zone) : literal;
        try {
            var v4 = IPV4.matcher(literal);
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int part = Integer.parseInt(v4.group(i + 1));
                    if (part > 255) {
                        return Optional.empty();
                    }
                    bytes[i] = (byte) part;
                }
                return Optional.of(InetAddress.getByAddress(bytes));
            }
            // with a colon in it, InetAddress parses a literal or fails; it never asks a resolver
            if (literal.indexOf(':') >= 0 && IPV6.matcher(literal).matches()) {
                return Optional.of(InetAddress.getByName(literal));
            }
        } catch (UnknownHostException notALiteral) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** IPv4 as is; IPv6 by its first 64 bits. */
    static String key(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] bytes = address.getAddress();
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 8; i += 2) {
            prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff)))
                    .append(':');
        }
        return prefix.append(":/64").toString();
    }

    private Set<InetAddress> trusted() {
        Set<InetAddress> current = trusted;
        if (current == null) {
            current = trustedProxies
                    .map(list -> Arrays.stream(list.split(","))
                            .map(String::strip)
                            .filter(entry -> !entry.isEmpty())
                            .map(entry -> parse(entry).orElseGet(() -> {
                                LOG.warning(() ->
                                        "auth.throttle.trusted-proxies: '" + entry + "' is not an address; ignored");
                                return null;
                            }))
                            .filter(Objects::nonNull)
                            .collect(Collectors.toUnmodifiableSet()))
                    .orElse(Set.of());
            trusted = current;
        }
        return current;
    }
}
