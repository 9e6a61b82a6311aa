package dev.postpurchase.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postpurchase.email.internal.NoDelaySockets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

class NoDelaySocketsTest {

    @Test
    void socketsTheMailerOpensHaveNaglesAlgorithmSwitchedOff() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                Socket plain =
                        NoDelaySockets.plain().createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket unconnected = NoDelaySockets.tls((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket();
                Socket layered = NoDelaySockets.tls((SSLSocketFactory) SSLSocketFactory.getDefault())
                        .createSocket(
                                new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                                "localhost",
                                server.getLocalPort(),
                                true)) {
            assertThat(plain.getTcpNoDelay()).isTrue();
            assertThat(unconnected.getTcpNoDelay()).isTrue();
            assertThat(layered.getTcpNoDelay()).isTrue();
        }
    }
}
