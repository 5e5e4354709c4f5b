package dev.sigil.system;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** Whether something listens on loopback only: what a client on another machine cannot reach. */
final class Loopback {

    private Loopback() {}

    /** {@code what} answers on {@code port} at the loopback address and at none of this machine's others. */
    static void assertOnlyLoopbackAnswers(int port, String what) throws IOException {
        try (Socket loopback = new Socket(InetAddress.getLoopbackAddress(), port)) {
            assertTrue(loopback.isConnected(), what + " answers on loopback");
        }
        List<InetAddress> external = external();
        Assumptions.assumeFalse(external.isEmpty(), "this machine has no address but loopback");
        for (InetAddress address : external) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 2000);
                fail(what + " answers on " + address + ":" + port);
            } catch (ConnectException | SocketTimeoutException refused) {
                // as it should
            }
        }
    }

    /** This machine's addresses other than loopback and link-local ones. */
    static List<InetAddress> external() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .toList();
    }
}
