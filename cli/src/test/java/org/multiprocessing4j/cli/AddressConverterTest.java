package org.multiprocessing4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/** {@code --address} goes through core's one address parser: a bad one is a usage error, before anything starts. */
class AddressConverterTest {

    @Test
    void theFormsAUserTypes() {
        AddressConverter converter = new AddressConverter();
        assertThat(converter.convert("127.0.0.1:0").socketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 0));
        assertThat(converter.convert("tcp:127.0.0.1:7").socketAddress()).isEqualTo(new InetSocketAddress("127.0.0.1", 7));
        String socket = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "m.sock").toAbsolutePath().toString();
        assertThat(converter.convert("unix:" + socket).socketAddress()).isEqualTo(UnixDomainSocketAddress.of(socket));
        assertThatThrownBy(() -> converter.convert("localhost")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("'localhost'");
    }

    @Test
    void aBadAddressIsAUsageErrorNamingIt() {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new ManagerCommand()).setErr(new PrintWriter(err))
                .execute("serve", "--address", "nowhere", "--authkey-file", "unused");
        assertThat(code).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("--address").contains("'nowhere'");
    }
}
