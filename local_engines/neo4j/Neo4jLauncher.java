import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Neo4j 5 Community in this JVM with its Bolt connector on 127.0.0.1: what Hanaro's "local"
 * engine set runs, from the jars in lib/ alone (Neo4j's own embedded-with-Bolt recipe).
 *
 * <p>Usage: {@code java -cp 'classes:lib/*' Neo4jLauncher HOME BOLT_PORT PAGE_CACHE_MB
 * [SETTING=VALUE ...]}; the optional settings are Neo4j's own ({@code neo4j.conf} names).
 * Prints {@code HANARO-READY neo4j <version>} once the database answers, then runs until its
 * standard input closes (the parent died or let go) or it gets SIGTERM; both shut the
 * database down cleanly. Every commit is forced to the transaction log before it is
 * acknowledged (Neo4j's default), so a SIGKILL loses nothing acknowledged.
 */
public final class Neo4jLauncher {

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: Neo4jLauncher HOME BOLT_PORT PAGE_CACHE_MB [SETTING=VALUE ...]");
            System.exit(2);
        }
        try {
            DatabaseManagementService service = start(
                Path.of(args[0]).toAbsolutePath(),
                Integer.parseInt(args[1]),
                Long.parseLong(args[2]),
                conf(Path.of(args[0]).toAbsolutePath(),
                    java.util.Arrays.copyOfRange(args, 3, args.length)));
            Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown));
            String version = service.database("neo4j").executeTransactionally(
                "CALL dbms.components() YIELD versions RETURN versions[0] AS v",
                java.util.Map.of(),
                result -> (String) result.next().get("v"));
            System.out.println("HANARO-READY neo4j " + version);
            System.out.flush();
            while (System.in.read() != -1) {
                // The parent never writes; end of input means it is gone.
            }
            System.exit(0);
        } catch (Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                System.err.println("neo4j: " + cause);
            }
            System.exit(1);
        }
    }

    /** The optional NAME=VALUE settings, as a neo4j.conf file in HOME that the builder reads. */
    static Path conf(Path home, String[] pairs) throws java.io.IOException {
        java.nio.file.Files.createDirectories(home);
        StringBuilder text = new StringBuilder();
        for (String pair : pairs) {
            if (pair.indexOf('=') < 1) {
                throw new IllegalArgumentException("a setting is NAME=VALUE, not " + pair);
            }
            text.append(pair).append('\n');
        }
        Path file = home.resolve("hanaro-neo4j.conf");
        java.nio.file.Files.writeString(file, text);
        return file;
    }

    static DatabaseManagementService start(Path home, int boltPort, long pageCacheMb, Path conf) {
        return new DatabaseManagementServiceBuilder(home)
            .loadPropertiesFromFile(conf)
            .setConfig(BoltConnector.enabled, true)
            .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort))
            .setConfig(HttpConnector.enabled, false)
            // No usage reports: public-sector networks are closed, and nothing should call out.
            .setConfig(GraphDatabaseSettings.udc_enabled, false)
            .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
            // Keep a day of transaction logs, not the default week: a laptop's disk.
            .setConfig(GraphDatabaseSettings.keep_logical_logs, "1 days")
            // Bolt shuts down after the databases are checkpointed and closed; its default
            // waits (5 s for the connections, 5 s for the thread pool) only kept every stop
            // (Ctrl-C, a restart, each test's engines) 10 s longer with nothing left to do.
            .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofSeconds(1))
            .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofSeconds(1))
            .build();
    }
}
