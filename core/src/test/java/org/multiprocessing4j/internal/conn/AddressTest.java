package org.multiprocessing4j.internal.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** One parser for every address a user or a proxy writes; each form parses back to what it printed. */
class AddressTest {

    @Test
    void hostPortAndTcpFormsAreTheSameAddress() {
        Address plain = Address.parse("127.0.0.1:5000");
        assertThat(plain.socketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 5000));
        assertThat(Address.parse("tcp:127.0.0.1:5000")).isEqualTo(plain);
        assertThat(plain.toString()).isEqualTo("127.0.0.1:5000");
        assertThat(plain.key()).isEqualTo("tcp:127.0.0.1:5000");
    }

    @Test
    void unixForm() {
        Path socket = Path.of(System.getProperty("java.io.tmpdir"), "mp4j", "m.sock").toAbsolutePath();
        Address unix = Address.parse("unix:" + socket);
        assertThat(unix.socketAddress()).isEqualTo(UnixDomainSocketAddress.of(socket));
        assertThat(unix.toString()).isEqualTo("unix:" + socket);
        assertThat(unix.key()).isEqualTo("unix:" + socket);
    }

    @Test
    void bothFormsParseBackToTheSameAddress() {
        for (String text : new String[] {"localhost:0", "tcp:10.1.2.3:65535", "unix:relative.sock"}) {
            Address address = Address.parse(text);
            assertThat(Address.parse(address.toString())).isEqualTo(address);
            assertThat(Address.parse(address.key())).isEqualTo(address);
            assertThat(new Address(address.socketAddress())).isEqualTo(address);
        }
    }

    @Test
    void aBadAddressIsRejectedNamingIt() {
        for (String text : new String[] {"localhost", ":5000", "tcp:host:", "host:port", "host:70000", "host:-1", "unix:"}) {
            assertThatThrownBy(() -> Address.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "'").hasMessageContaining("HOST:PORT");
        }
        assertThatThrownBy(() -> Address.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void onlyTcpAndUnixSocketAddressesAreAddresses() {
        assertThatThrownBy(() -> new Address(new java.net.SocketAddress() {})).isInstanceOf(IllegalArgumentException.class);
    }
}
