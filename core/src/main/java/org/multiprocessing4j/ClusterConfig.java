package org.multiprocessing4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a cluster is and the key its members hold: what {@link Multiprocessing#cluster(ClusterConfig)}
 * connects to. No Hazelcast type appears here; the backend (module {@code multiprocessing4j-hazelcast})
 * reads it.
 *
 * <pre>{@code
 * Context ctx = Multiprocessing.cluster(ClusterConfig.builder()
 *         .clusterName("jobs").members("127.0.0.1:5701", "127.0.0.1:5702")
 *         .authkeyFile(Path.of("/etc/mp4j/key")).build());
 * }</pre>
 */
public final class ClusterConfig {
    private final String clusterName;
    private final List<String> members;
    private final byte[] authkey;

    private ClusterConfig(Builder b) {
        this.clusterName = b.clusterName;
        this.members = List.copyOf(b.members);
        this.authkey = b.authkey.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The cluster's name: a client with another name is not admitted. */
    public String clusterName() {
        return clusterName;
    }

    /** The members to connect to first, {@code host:port} each. */
    public List<String> members() {
        return members;
    }

    /** The key every task, result and message is authenticated under (a copy). */
    public byte[] authkey() {
        return authkey.clone();
    }

    @Override
    public String toString() {
        return "ClusterConfig[" + clusterName + ", members " + members + "]"; // never the key
    }

    /** Builds a {@link ClusterConfig}; the cluster name, at least one member and the authkey are required. */
    public static final class Builder {
        private String clusterName;
        private final List<String> members = new ArrayList<>();
        private byte[] authkey;

        private Builder() {}

        public Builder clusterName(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("the cluster name is empty");
            }
            this.clusterName = name;
            return this;
        }

        /** Adds members, {@code host:port} each ({@code 127.0.0.1:5701}). */
        public Builder members(String... hostPorts) {
            for (String member : hostPorts) {
                Objects.requireNonNull(member, "a member is null");
                int colon = member.lastIndexOf(':');
                if (colon <= 0 || colon == member.length() - 1) {
                    throw new IllegalArgumentException("a member is host:port, was " + member);
                }
                int port;
                try {
                    port = Integer.parseInt(member.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("a member is host:port, was " + member, e);
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port out of range in " + member);
                }
                members.add(member);
            }
            return this;
        }

        /** The cluster's authkey (at least 16 bytes). */
        public Builder authkey(byte[] key) {
            Objects.requireNonNull(key, "key");
            if (key.length < 16) {
                throw new IllegalArgumentException("an authkey has at least 16 bytes, this one " + key.length);
            }
            this.authkey = key.clone();
            return this;
        }

        /** Reads the authkey from a file: its bytes, a final newline ignored (as {@code mp4j worker --authkey-file} reads it). */
        public Builder authkeyFile(Path file) {
            Objects.requireNonNull(file, "file");
            try {
                byte[] key = Files.readAllBytes(file);
                int length = key.length;
                while (length > 0 && (key[length - 1] == '\n' || key[length - 1] == '\r')) {
                    length--;
                }
                return authkey(java.util.Arrays.copyOf(key, length));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the authkey file " + file, e);
            }
        }

        /** @throws IllegalStateException if the name, the members or the authkey is missing */
        public ClusterConfig build() {
            if (clusterName == null) {
                throw new IllegalStateException("a ClusterConfig needs clusterName(...)");
            }
            if (members.isEmpty()) {
                throw new IllegalStateException("a ClusterConfig needs members(\"host:port\", ...)");
            }
            if (authkey == null) {
                throw new IllegalStateException("a ClusterConfig needs authkey(...) or authkeyFile(...)");
            }
            return new ClusterConfig(this);
        }
    }
}
