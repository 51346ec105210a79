package dev.hsi.support;

import dev.hsi.app.HsiServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class's own whole server on the pipeline test settings ({@link TestEnv#pipeline}), started once for the
 * class in a temporary DATA_DIR, with the clients the tests talk to it through.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class PipelineServerTest {

    protected Path dataDir;
    protected HsiServer server;
    protected Api api;
    protected Ftp ftp;
    protected Db db;

    @BeforeAll
    void startServer(@TempDir Path dataDir) {
        this.dataDir = dataDir;
        server = HsiServer.start(TestEnv.config(TestEnv.pipeline(dataDir)));
        api = new Api(server.apiPort());
        ftp = new Ftp(server.ftpPort(), "cam", "secret");
        db = new Db(server.database());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }
}
