package dev.sigil.auth;

import dev.sigil.testkit.WarConfig;
import java.io.IOException;
import java.net.NetworkInterface;
import java.net.URL;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The auth WAR's components as built, in one Payara Micro: the tests of each component are in
 * an interface named after it ({@link SessionsTests}, {@link RevocationTests},
 * {@link AccountsTests}, {@link ThrottlingTests}, {@link SigningKeysTests}); this class
 * deploys the WAR once for all of them, since every deployment boots a server. Auth validates
 * its own access tokens with MicroProfile JWT here, as business does.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class AuthComponentsIT implements SessionsTests, RevocationTests, AccountsTests, ThrottlingTests, SigningKeysTests {

    @ArquillianResource
    URL base;

    ProxiedClient auth;

    /**
     * The WAR as built; the address lockout, the account ceiling and the registration rate are
     * lowered so tests can reach them, and the test client is a trusted proxy, so a test can
     * speak for many client addresses with {@code X-Forwarded-For}. Refresh tokens are purged
     * every second one second after they expire or are revoked. At most three revocation
     * streams, with a heartbeat every second. Two resources are added for the tests: the caller's
     * principal name ({@link PrincipalNameResource}) and one that keeps the server's shared
     * scheduler busy ({@link SharedSchedulerResource}).
     */
    @Deployment(testable = false)
    static WebArchive deployment() throws IOException {
        return WarConfig.append(
                        AuthIT.deployment(),
                        "auth.throttle.address-failures=" + ADDRESS_FAILURES,
                        "auth.throttle.account-ceiling=" + ACCOUNT_CEILING,
                        "auth.throttle.registrations-per-minute=" + REGISTRATIONS_PER_MINUTE,
                        "auth.throttle.trusted-proxies=" + thisMachine(),
                        "auth.refresh.retention-seconds=1",
                        "auth.refresh.purge-interval-seconds=1",
                        "auth.revocations.max-streams=" + REVOCATION_STREAMS,
                        "auth.revocations.heartbeat-seconds=1")
                .addClasses(PrincipalNameResource.class, SharedSchedulerResource.class);
    }

    /** Every address of this machine: the server may be reached on any of them, not only on loopback. */
    static String thisMachine() throws IOException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .map(address -> address.getHostAddress().replaceAll("%.*", ""))
                .collect(Collectors.joining(","));
    }

    @BeforeEach
    void client() {
        auth = new ProxiedClient(base.toString(), someAddress());
    }

    @Override
    public URL base() {
        return base;
    }

    @Override
    public ProxiedClient auth() {
        return auth;
    }
}
