package org.multiprocessing4j.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.SerializationConfig;
import java.util.List;

/**
 * How members and clients of an mp4j cluster are configured: TCP-IP join only (no multicast), bound to
 * the given address (127.0.0.1 by default), this backend's serialization factory, and Hazelcast's own
 * Java deserialization limited to JDK value types (every user object travels inside an authenticated
 * frame, as {@code byte[]}).
 *
 * <p><b>Failure detection.</b> A member is declared dead after {@code mp4j.cluster.heartbeatTimeoutSeconds}
 * (default 60, Hazelcast's; the tests use 4) without a heartbeat; heartbeats go every second. That,
 * through Hazelcast's membership event, is the only judge of a lost member. Connections of clients
 * (drivers, members' children) have their own, longer heartbeat timeout
 * ({@code mp4j.cluster.clientHeartbeatTimeoutSeconds}, default 60): a client killed closes its
 * connections at once, and a connection dropped under load is no verdict on anyone (commands are sent
 * again, see {@link Remote}; a client is gone when no member has a connection of it after
 * {@code mp4j.cluster.clientGraceMillis}, see {@link MemberRuntime}).
 */
final class HazelcastConfigs {
    static final String EXECUTOR = "mp4j";
    static final String STATE_MAP = "mp4j.state";
    static final String LOCK_MAP = "mp4j.locks";
    static final String LOCK_OWNERS = "mp4j.lockOwners";
    static final String LOCK_WAITING = "mp4j.lockWaiting";
    static final String PID_ATTRIBUTE = "mp4j.pid";
    /** Tasks that wait on a member for their pool or child process: one thread each. */
    static final int EXECUTOR_THREADS = Integer.getInteger("mp4j.cluster.executorThreads", 512);

    private HazelcastConfigs() {}

    static int heartbeatTimeoutSeconds() {
        return Integer.getInteger("mp4j.cluster.heartbeatTimeoutSeconds", 60);
    }

    static int clientHeartbeatTimeoutSeconds() {
        return Integer.getInteger("mp4j.cluster.clientHeartbeatTimeoutSeconds", 60);
    }

    static long clientGraceMillis() {
        return Long.getLong("mp4j.cluster.clientGraceMillis", 5_000);
    }

    static Config member(String clusterName, String bind, int port, List<String> members) {
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        config.setProperty("hazelcast.graceful.shutdown.max.wait", "30");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(heartbeatTimeoutSeconds()));
        config.setProperty("hazelcast.client.max.no.heartbeat.seconds", Integer.toString(clientHeartbeatTimeoutSeconds()));
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        config.setProperty("hazelcast.wait.seconds.before.join", "0");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "none"));
        NetworkConfig network = config.getNetworkConfig();
        network.setPort(port).setPortAutoIncrement(false);
        network.getInterfaces().setEnabled(true).addInterface(bind);
        network.getRestApiConfig().setEnabled(false);
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members.isEmpty() ? List.of(bind + ":" + port) : members);
        config.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(EXECUTOR_THREADS).setStatisticsEnabled(false));
        serialization(config.getSerializationConfig());
        config.getMemberAttributeConfig().setAttribute(PID_ATTRIBUTE, Long.toString(ProcessHandle.current().pid()));
        return config;
    }

    static ClientConfig client(String clusterName, List<String> members) {
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type", "none"));
        config.setProperty("hazelcast.client.heartbeat.interval", "1000");
        config.setProperty("hazelcast.client.heartbeat.timeout", Long.toString(clientHeartbeatTimeoutSeconds() * 1000L));
        config.setProperty("hazelcast.client.statistics.enabled", "false");
        config.getNetworkConfig().setAddresses(members);
        config.getNetworkConfig().setSmartRouting(true);
        // A cluster that is not there (or does not admit this name) fails the connection in seconds, not forever.
        config.getConnectionStrategyConfig().getConnectionRetryConfig()
                .setClusterConnectTimeoutMillis(Long.getLong("mp4j.cluster.connectTimeoutMillis", 20_000))
                .setInitialBackoffMillis(200).setMaxBackoffMillis(1_000);
        serialization(config.getSerializationConfig());
        return config;
    }

    private static void serialization(SerializationConfig serialization) {
        serialization.addDataSerializableFactory(Wire.FACTORY_ID, new Wire());
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig();
        filter.setDefaultsDisabled(false);
        ClassFilter allowed = new ClassFilter();
        // JDK value types only; this backend's own types are IdentifiedDataSerializable and user objects
        // are byte[] frames, so nothing else needs Java deserialization by Hazelcast.
        allowed.addClasses("java.lang.String", "java.lang.Long", "java.lang.Integer", "java.lang.Double",
                "java.lang.Boolean", "java.lang.Number", "java.lang.Enum", "java.util.UUID");
        allowed.addPrefixes("java.lang.Throwable", "java.lang.Exception", "java.lang.RuntimeException",
                "java.lang.StackTraceElement", "com.hazelcast.");
        filter.setWhitelist(allowed);
        serialization.setJavaSerializationFilterConfig(filter);
    }
}
