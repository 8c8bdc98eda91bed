package org.multiprocessing4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import org.multiprocessing4j.Manager;
import org.multiprocessing4j.Multiprocessing;
import org.multiprocessing4j.internal.conn.Address;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mp4j manager}: manager servers (Python's {@code BaseManager}). */
@Command(name = "manager", mixinStandardHelpOptions = true,
        description = "Manager servers: shared dicts, lists, queues and locks for other processes and hosts.",
        subcommands = ManagerCommand.Serve.class)
public final class ManagerCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /**
     * {@code mp4j manager serve}: runs a manager server in this process until a client calls
     * {@code shutdown()} (Python's {@code serve_forever}). Prints where it listens on its first line.
     */
    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Serve a manager until a client shuts it down.",
                    "Clients: Manager.connect(address, authkey). First line printed: 'listening on ADDRESS'."})
    static final class Serve implements Callable<Integer> {
        @Option(names = "--address", paramLabel = "HOST:PORT|unix:PATH", defaultValue = "127.0.0.1:0",
                converter = AddressConverter.class,
                description = "Where to listen (port 0: any free port; default ${DEFAULT-VALUE}).")
        Address address;

        @Option(names = "--authkey-file", paramLabel = "FILE", required = true,
                description = "The authkey: this file's bytes (a final newline is ignored). Keep it private.")
        Path authkeyFile;

        @Option(names = "--allow", paramLabel = "PATTERN",
                description = {"Also deserialize these classes from clients (repeatable; com.example.Point, "
                        + "com.example.* for a package, com.example.** with its subpackages). Without it only "
                        + "the JDK's value types and multiprocessing4j's own classes are accepted."})
        List<String> allow = new ArrayList<>();

        @Option(names = "--allow-any-class",
                description = "Deserialize any Serializable class a client with the key sends (but known "
                        + "gadgets), as Python's managers unpickle anything: only when every key holder is trusted.")
        boolean allowAnyClass;

        @Override
        public Integer call() throws IOException {
            byte[] key = Files.readAllBytes(authkeyFile);
            int length = key.length;
            while (length > 0 && (key[length - 1] == '\n' || key[length - 1] == '\r')) {
                length--;
            }
            if (length == 0) {
                System.err.println("mp4j manager serve: the authkey file " + authkeyFile + " is empty");
                return 2;
            }
            if (!allowAnyClass) {
                // A manager serves whoever holds the key, possibly from other hosts: by default it
                // builds only the classes it knows of, not whatever a client names.
                try {
                    Multiprocessing.allowDeserializationOnly(allow.toArray(String[]::new));
                } catch (IllegalArgumentException e) {
                    System.err.println("mp4j manager serve: --allow: " + e.getMessage());
                    return 2;
                }
            } else if (!allow.isEmpty()) {
                System.err.println("mp4j manager serve: --allow and --allow-any-class exclude each other");
                return 2;
            }
            Manager.serve(address.socketAddress(), Arrays.copyOf(key, length), where -> {
                System.out.println("listening on " + new Address(where));
                System.out.flush();
            });
            return 0;
        }
    }
}
