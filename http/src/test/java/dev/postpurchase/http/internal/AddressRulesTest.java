package dev.postpurchase.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressRulesTest {
    @Test
    void parsesEveryNumericIpv4Form() {
        byte[] loopback = {127, 0, 0, 1};
        for (String form : List.of(
                "127.0.0.1",
                "127.1",
                "127.0.1",
                "2130706433",
                "0x7f000001",
                "0x7f.1",
                "0177.0.0.1",
                "017700000001",
                "127.0.0.1.")) {
            assertThat(Ipv4Forms.parse(form)).as(form).isEqualTo(loopback);
        }
        assertThat(Ipv4Forms.parse("shop.example")).isNull();
        assertThat(Ipv4Forms.parse("256.0.0.1")).isNull();
        assertThat(Ipv4Forms.parse("1.2.3.4.5")).isNull();
        assertThat(Ipv4Forms.parse("4294967296")).isNull();
        assertThat(Ipv4Forms.parse("08.1.1.1")).isNull();
    }

    @Test
    void blocksNonPublicRangesAndAllowsPublicOnes() throws Exception {
        AddressRules rules = AddressRules.strict();
        for (String blocked : List.of(
                "127.0.0.1",
                "10.1.2.3",
                "172.31.255.255",
                "192.168.0.1",
                "169.254.169.254",
                "100.64.0.1",
                "100.127.255.255",
                "0.0.0.0",
                "198.18.0.1",
                "240.0.0.1",
                "::1",
                "::",
                "fd12::1",
                "fe80::1",
                "64:ff9b::808:808",
                "2002:808:808::",
                "2001::1",
                "2001:db8::1",
                "ff02::1",
                "::ffff:10.0.0.1")) {
            assertThat(rules.blockReason(InetAddress.getByName(blocked)))
                    .as(blocked)
                    .isNotNull();
        }
        for (String allowed : List.of(
                "8.8.8.8",
                "1.1.1.1",
                "100.63.255.255",
                "100.128.0.1",
                "172.32.0.1",
                "2606:4700:4700::1111",
                "::ffff:8.8.8.8")) {
            assertThat(rules.blockReason(InetAddress.getByName(allowed)))
                    .as(allowed)
                    .isNull();
        }
    }

    @Test
    void theIpv4MappedFormIsJudgedAsIpv4EvenAsRawBytes() {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;
        assertThat(AddressRules.strict().blockReason(mapped)).contains("link-local");
    }

    @Test
    void theAllowListExemptsRangesAndHostNamesOnly() throws Exception {
        AddressRules rules = AddressRules.withAllowList(List.of("127.0.0.0/8", "dev.internal"));
        assertThat(rules.blockReason(InetAddress.getByName("127.0.0.2"))).isNull();
        assertThat(rules.blockReason(InetAddress.getByName("10.0.0.1"))).isNotNull();
        assertThat(rules.isAllowedHost("DEV.internal")).isTrue();
        assertThat(rules.isAllowedHost("other.internal")).isFalse();
    }

    @Test
    void theSocketRefusesABlockedAddressAtConnectTimeEvenIfResolutionWasBypassed() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            GuardedSocketFactory factory = new GuardedSocketFactory(AddressRules.strict(), null);
            try (Socket socket = factory.createSocket()) {
                assertThatThrownBy(() -> socket.connect(
                                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listener.getLocalPort()),
                                500))
                        .isInstanceOf(BlockedConnectException.class)
                        .hasMessageContaining("loopback");
                assertThat(socket.isConnected()).isFalse();
            }
            GuardedSocketFactory allowing =
                    new GuardedSocketFactory(AddressRules.withAllowList(List.of("127.0.0.1")), null);
            try (Socket socket = allowing.createSocket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), listener.getLocalPort()), 500);
                assertThat(socket.isConnected()).isTrue();
            }
        }
    }

    @Test
    void theResolverDropsBlockedAddressesAndRefusesWhenNoneAreLeft() throws Exception {
        InetAddress publicAddress =
                InetAddress.getByAddress("mixed.example", new byte[] {93, (byte) 184, (byte) 215, 14});
        InetAddress privateAddress =
                InetAddress.getByAddress("mixed.example", new byte[] {(byte) 192, (byte) 168, 1, 1});
        FilteringDns dns =
                new FilteringDns(host -> List.of(privateAddress, publicAddress), AddressRules.strict(), null);
        assertThat(dns.lookup("mixed.example")).containsExactly(publicAddress);
        FilteringDns onlyPrivate = new FilteringDns(host -> List.of(privateAddress), AddressRules.strict(), null);
        assertThatThrownBy(() -> onlyPrivate.lookup("mixed.example"))
                .isInstanceOf(BlockedLookupException.class)
                .hasMessageContaining("192.168.1.1");
        assertThatThrownBy(() -> onlyPrivate.lookup("0x7f.1")).isInstanceOf(BlockedLookupException.class);
    }
}
