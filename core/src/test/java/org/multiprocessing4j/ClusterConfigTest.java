package org.multiprocessing4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ClusterConfig}'s builder, and {@link Multiprocessing#cluster} without the cluster module. */
class ClusterConfigTest {
    private static final byte[] KEY = "0123456789abcdef0123".getBytes();

    @Test
    void withoutTheHazelcastModuleClusterNamesIt() {
        ClusterConfig config = ClusterConfig.builder().clusterName("c").members("127.0.0.1:5701").authkey(KEY).build();
        assertThatThrownBy(() -> Multiprocessing.cluster(config))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("multiprocessing4j-hazelcast");
    }

    @Test
    void buildsWhatItWasGivenAndNeverPrintsTheKey(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("key");
        Files.write(keyFile, KEY);
        ClusterConfig config = ClusterConfig.builder().clusterName("jobs")
                .members("127.0.0.1:5701", "host:5702").authkeyFile(keyFile).build();
        assertThat(config.clusterName()).isEqualTo("jobs");
        assertThat(config.members()).containsExactly("127.0.0.1:5701", "host:5702");
        assertThat(config.authkey()).isEqualTo(KEY);
        assertThat(config.toString()).doesNotContain(new String(KEY));
    }

    @Test
    void refusesWhatIsMissingOrMalformed() {
        assertThatThrownBy(() -> ClusterConfig.builder().members("a:1").authkey(KEY).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("clusterName");
        assertThatThrownBy(() -> ClusterConfig.builder().clusterName("c").authkey(KEY).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("members");
        assertThatThrownBy(() -> ClusterConfig.builder().clusterName("c").members("a:1").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("authkey");
        assertThatThrownBy(() -> ClusterConfig.builder().members("nohost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterConfig.builder().members("h:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterConfig.builder().authkey(new byte[3])).isInstanceOf(IllegalArgumentException.class);
    }
}
