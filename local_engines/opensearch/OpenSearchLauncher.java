import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.ko.KoreanAnalyzer;
import org.apache.lucene.analysis.ko.KoreanTokenizer;
import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.index.IndexSettings;
import org.opensearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.opensearch.index.analysis.AbstractTokenizerFactory;
import org.opensearch.index.analysis.AnalyzerProvider;
import org.opensearch.index.analysis.TokenizerFactory;
import org.opensearch.index.mapper.MapperExtrasPlugin;
import org.opensearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.AnalysisPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, from the jars in lib/ alone: what Hanaro's "local" engine
 * set runs. A distribution would load its modules from a modules/ folder of zips that Maven
 * Central does not serve, so the module plugins are handed to the node as classes instead.
 *
 * <p>Usage: {@code java -cp 'classes:lib/*' OpenSearchLauncher HOME HTTP_PORT TRANSPORT_PORT}.
 * Prints {@code HANARO-READY <version>} once the node answers, then runs until its standard
 * input closes (the parent died or let go) or it gets SIGTERM; both close the node cleanly.
 * Any failure prints its causes and exits 1.
 */
public final class OpenSearchLauncher {

    /** A node with the module plugins on the class path (Node's own constructor for this). */
    static final class LocalNode extends Node {
        LocalNode(Environment environment, List<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    /**
     * Korean analysis as the analysis-nori plugin names it ({@code nori} analyzer,
     * {@code nori_tokenizer}), with Lucene's defaults (decompound DISCARD, default stop tags).
     * The plugin itself is not published as a jar; its Lucene analyzer is.
     */
    public static final class KoreanAnalysisPlugin extends Plugin implements AnalysisPlugin {
        @Override
        public Map<String, AnalysisProvider<TokenizerFactory>> getTokenizers() {
            return Map.of("nori_tokenizer", (indexSettings, environment, name, settings) ->
                new AbstractTokenizerFactory(indexSettings, settings, name) {
                    @Override
                    public Tokenizer create() {
                        return new KoreanTokenizer();
                    }
                });
        }

        @Override
        public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
            return Map.of("nori", OpenSearchLauncher::koreanAnalyzer);
        }
    }

    static AnalyzerProvider<? extends Analyzer> koreanAnalyzer(
            IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        KoreanAnalyzer analyzer = new KoreanAnalyzer();
        return new AbstractIndexAnalyzerProvider<KoreanAnalyzer>(indexSettings, name, settings) {
            @Override
            public KoreanAnalyzer get() {
                return analyzer;
            }
        };
    }

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: OpenSearchLauncher HOME HTTP_PORT TRANSPORT_PORT");
            System.exit(2);
        }
        try {
            Node node = start(Path.of(args[0]).toAbsolutePath(), args[1], args[2]);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node)));
            System.out.println("HANARO-READY opensearch " + org.opensearch.Version.CURRENT);
            System.out.flush();
            while (System.in.read() != -1) {
                // The parent never writes; end of input means it is gone.
            }
            System.exit(0);
        } catch (Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                System.err.println("opensearch: " + cause);
            }
            System.exit(1);
        }
    }

    static Node start(Path home, String httpPort, String transportPort) throws Exception {
        Files.createDirectories(home.resolve("config"));
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("modules"));
        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", "hanaro-local")
            .put("node.name", "hanaro-local")
            .put("discovery.type", "single-node")
            .putList("node.roles", "cluster_manager", "data", "ingest")
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort)
            .put("transport.port", transportPort)
            // One machine, two cores: no disk watermarks that block writes on a busy disk,
            // and no replicas that could never be assigned.
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("cluster.default_number_of_replicas", 0)
            .put("logger.level", "WARN")
            .build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(
            settings, Map.of(), home.resolve("config"), () -> "hanaro-local");
        LogConfigurator.registerErrorListener();
        LogConfigurator.configureWithoutConfig(environment.settings());
        List<Class<? extends Plugin>> plugins = List.of(
            Netty4Plugin.class,
            CommonAnalysisPlugin.class,
            MapperExtrasPlugin.class,
            KoreanAnalysisPlugin.class);
        Node node = new LocalNode(environment, plugins);
        node.start();
        return node;
    }

    static void close(Node node) {
        try {
            node.close();
        } catch (IOException ignored) {
            // Exiting anyway; the store is consistent after each acknowledged write.
        }
    }
}
