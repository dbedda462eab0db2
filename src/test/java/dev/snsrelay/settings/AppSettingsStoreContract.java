package dev.snsrelay.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.snsrelay.testing.TestSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What every settings database must do, whichever it is. Subclasses give the database: each
 * test starts on an empty one, and every store a test opens reaches that same database.
 */
abstract class AppSettingsStoreContract {

    // Registered, so the suite's final scan of the log looks for them too.
    static final String KEY = TestSecrets.register("AKIAIOSFODNN7EXAMPLE");
    static final String SECRET = TestSecrets.register("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    static final String INGEST_SECRET = TestSecrets.newSecret("ContractIngest");
    static final Duration REFRESH = Duration.ofMillis(100);

    private final List<JdbcAppSettingsStore> opened = new CopyOnWriteArrayList<>();
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

    /** The JDBC URL of this test's database. */
    abstract String url();

    String user() {
        return "";
    }

    String password() {
        return "";
    }

    @BeforeEach
    void captureLogs() {
        logs.start();
        rootLogger().addAppender(logs);
    }

    @AfterEach
    void closeStores() {
        rootLogger().detachAppender(logs);
        opened.forEach(JdbcAppSettingsStore::close);
    }

    @Test
    void a_fresh_store_reads_back_every_field_that_was_saved() {
        AppSettings chat = keysApp("chat");

        open().save(chat);

        AppSettings read = open().find("chat").orElseThrow();
        assertThat(read).isEqualTo(chat);
        assertThat(read.topicArn().value()).isEqualTo("arn:aws:sns:eu-west-1:123456789012:chat");
        assertThat(read.authType()).isEqualTo(AuthType.KEYS);
        assertThat(read.accessKey()).isEqualTo(KEY);
        assertThat(read.secretKey()).isEqualTo(SECRET);
        assertThat(read.roleArn()).isNull();
        assertThat(read.endpoint()).isEqualTo("http://127.0.0.1:4566");
        assertThat(read.eventTypes()).containsExactlyInAnyOrder("message.new", "reaction.new",
                "channel:updated", "user_banned-2");
        assertThat(read.enabled()).isFalse();
        assertThat(read.maxMessageBytes()).isEqualTo(1_048_576);
    }

    @Test
    void fields_left_empty_come_back_empty() {
        AppSettings plain = resourceApp("plain");

        open().save(plain);

        AppSettings read = open().find("plain").orElseThrow();
        assertThat(read).isEqualTo(plain);
        assertThat(read.accessKey()).isNull();
        assertThat(read.secretKey()).isNull();
        assertThat(read.roleArn()).isNull();
        assertThat(read.endpoint()).isNull();
        assertThat(read.eventTypes()).isEmpty();
        assertThat(read.delivers("anything.new")).isTrue();
        assertThat(read.enabled()).isTrue();
    }

    @Test
    void list_returns_every_app_sorted_by_id() {
        JdbcAppSettingsStore store = open();
        store.save(roleApp("zeta"));
        store.save(keysApp("Alpha"));
        store.save(resourceApp("mid_1"));

        assertThat(store.list()).extracting(AppSettings::appId)
                .containsExactly("Alpha", "mid_1", "zeta");
        assertThat(open().list()).containsExactly(keysApp("Alpha"), resourceApp("mid_1"),
                roleApp("zeta"));
    }

    @Test
    void saving_an_app_again_replaces_every_field() {
        JdbcAppSettingsStore store = open();
        store.save(keysApp("chat"));

        AppSettings replacement = roleApp("chat");
        store.save(replacement);

        assertThat(store.find("chat")).contains(replacement);
        AppSettings read = open().find("chat").orElseThrow();
        assertThat(read).isEqualTo(replacement);
        assertThat(read.accessKey()).isNull();
        assertThat(read.secretKey()).isNull();
        assertThat(read.endpoint()).isNull();
        assertThat(read.eventTypes()).containsExactly("message.new");
        assertThat(open().list()).hasSize(1);
    }

    @Test
    void a_deleted_app_is_gone_here_and_in_the_database() {
        JdbcAppSettingsStore store = open();
        store.save(keysApp("chat"));
        store.save(resourceApp("other"));

        assertThat(store.delete("chat")).isTrue();

        assertThat(store.find("chat")).isEmpty();
        assertThat(open().find("chat")).isEmpty();
        assertThat(open().list()).extracting(AppSettings::appId).containsExactly("other");
    }

    @Test
    void deleting_an_unknown_app_returns_false_and_changes_nothing() {
        JdbcAppSettingsStore store = open();
        store.save(resourceApp("other"));
        List<String> heard = listen(store);

        assertThat(store.delete("nobody")).isFalse();
        assertThat(store.delete("not a valid id")).isFalse();

        assertThat(heard).isEmpty();
        assertThat(open().list()).extracting(AppSettings::appId).containsExactly("other");
    }

    @Test
    void an_unknown_or_missing_app_id_finds_nothing() {
        JdbcAppSettingsStore store = open();

        assertThat(store.find("nobody")).isEmpty();
        assertThat(store.find(null)).isEmpty();
    }

    @Test
    void opening_the_same_database_again_applies_no_schema_step_twice() throws SQLException {
        open().save(keysApp("chat"));
        List<Integer> allSteps = SchemaMigrations.STEPS.stream()
                .map(SchemaMigrations.Step::version).toList();
        assertThat(schemaVersions()).isEqualTo(allSteps);

        JdbcAppSettingsStore whileFirstIsOpen = open();
        closeAll();
        JdbcAppSettingsStore afterClosing = open();

        assertThat(schemaVersions()).isEqualTo(allSteps);
        assertThat(whileFirstIsOpen.find("chat")).contains(keysApp("chat"));
        assertThat(afterClosing.find("chat")).contains(keysApp("chat"));
    }

    @Test
    void listeners_hear_of_every_save_and_delete() {
        JdbcAppSettingsStore store = open();
        List<String> heard = listen(store);

        store.save(keysApp("chat"));
        store.save(resourceApp("other"));
        store.save(roleApp("chat"));
        store.delete("chat");

        assertThat(heard).containsExactly("chat", "other", "chat", "chat");
    }

    @Test
    void another_relay_sees_a_save_and_a_delete_within_the_refresh_interval() {
        JdbcAppSettingsStore first = open();
        JdbcAppSettingsStore second = open(REFRESH);
        List<String> heardBySecond = listen(second);

        first.save(keysApp("chat"));
        await().atMost(Duration.ofSeconds(2))
                .until(() -> second.find("chat").equals(first.find("chat")));

        first.save(roleApp("chat"));
        await().atMost(Duration.ofSeconds(2))
                .until(() -> second.find("chat").equals(first.find("chat")));

        first.delete("chat");
        await().atMost(Duration.ofSeconds(2)).until(() -> second.find("chat").isEmpty());

        assertThat(second.list()).isEmpty();
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(heardBySecond).containsExactly("chat", "chat", "chat"));
    }

    @Test
    void lookups_are_answered_from_memory_without_asking_the_database() throws SQLException {
        JdbcAppSettingsStore store = open();
        store.save(keysApp("chat"));

        sql("DELETE FROM app_settings");

        // No refresh configured and no write through the store: memory is all it consults.
        assertThat(store.find("chat")).contains(keysApp("chat"));
        assertThat(store.list()).containsExactly(keysApp("chat"));
    }

    @Test
    void declared_apps_are_written_and_win_over_stored_ones() {
        JdbcAppSettingsStore store = open();
        store.save(keysApp("chat"));
        store.save(resourceApp("from_api"));
        List<String> heard = listen(store);

        AppSettings declaredChat = roleApp("chat");
        AppSettings declaredNew = resourceApp("new_app");
        int written = store.importDeclared(Map.of("chat", declaredChat, "new_app", declaredNew));

        assertThat(written).isEqualTo(2);
        assertThat(open().list()).containsExactly(declaredChat, resourceApp("from_api"),
                declaredNew);
        assertThat(heard).containsExactly("chat", "new_app");
        assertThat(infoLines()).contains("2 app(s) declared in application.properties,"
                + " 2 written to the settings store");
    }

    @Test
    void importing_unchanged_declarations_again_writes_nothing() {
        Map<String, AppSettings> declared = Map.of("chat", keysApp("chat"));
        open().importDeclared(declared);
        JdbcAppSettingsStore restarted = open();
        List<String> heard = listen(restarted);

        int written = restarted.importDeclared(declared);

        assertThat(written).isZero();
        assertThat(heard).isEmpty();
        assertThat(infoLines()).contains("1 app(s) declared in application.properties,"
                + " 0 written to the settings store");
    }

    @Test
    void a_stored_row_that_no_longer_validates_is_skipped_with_a_warning() throws SQLException {
        open().save(keysApp("good"));
        sql("INSERT INTO app_settings (app_id, topic_arn, auth_type, event_types, enabled,"
                + " max_message_bytes, revision, updated_at) VALUES ('broken',"
                + " 'not-an-arn', 'keys', '', TRUE, 1000, 0, CURRENT_TIMESTAMP)");

        JdbcAppSettingsStore store = open();

        assertThat(store.list()).extracting(AppSettings::appId).containsExactly("good");
        assertThat(logs.list).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("broken", "sns_topic_arn");
        });
    }

    @Test
    void the_key_and_secret_never_appear_in_messages_logs_or_text() throws SQLException {
        JdbcAppSettingsStore store = open();
        store.save(keysApp("chat"));
        List<Throwable> failures = new ArrayList<>();

        AppSettings overLong = keysApp("chat", SECRET + "x".repeat(1100));
        failures.add(catchThrowable(() -> store.save(overLong)));
        assertThat(failures.get(0)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("sns_secret");

        // A database that refuses the row: error texts may quote the row they refused.
        sql("ALTER TABLE app_settings ADD CONSTRAINT short_secret"
                + " CHECK (LENGTH(secret_key) <= " + SECRET.length() + ")");
        failures.add(catchThrowable(() -> store.save(keysApp("chat", SECRET + "2"))));
        assertThat(failures.get(1)).isInstanceOf(SettingsStoreException.class)
                .hasMessageContaining("app chat");

        store.close();
        failures.add(catchThrowable(() -> store.save(keysApp("chat"))));
        assertThat(failures.get(2)).isInstanceOf(IllegalStateException.class);

        StringBuilder everything = new StringBuilder();
        everything.append(store).append(store.list()).append(store.find("chat"))
                .append(keysApp("chat"));
        failures.forEach(f -> everything.append(stackTrace(f)));
        logs.list.forEach(e -> everything.append(e.getFormattedMessage())
                .append(throwableText(e.getThrowableProxy())));
        assertThat(everything.toString()).doesNotContain(SECRET).doesNotContain(KEY);
    }

    // --- fixtures -------------------------------------------------------------------------------

    JdbcAppSettingsStore open() {
        return open(Duration.ZERO);
    }

    JdbcAppSettingsStore open(Duration refresh) {
        JdbcAppSettingsStore store = JdbcAppSettingsStore.open(url(), user(), password(), refresh);
        opened.add(store);
        return store;
    }

    void closeAll() {
        opened.forEach(JdbcAppSettingsStore::close);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    void sql(String statement) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            st.execute(statement);
        }
    }

    List<Integer> schemaVersions() throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (Connection c = connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT version FROM schema_version ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    List<String> infoLines() {
        return logs.list.stream().filter(e -> e.getLevel() == Level.INFO)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }

    static List<String> listen(AppSettingsStore store) {
        List<String> heard = new CopyOnWriteArrayList<>();
        store.onChange(heard::add);
        return heard;
    }

    static AppSettings keysApp(String appId) {
        return keysApp(appId, SECRET);
    }

    static AppSettings keysApp(String appId, String secret) {
        return new AppSettings(appId,
                TopicArn.parse("arn:aws:sns:eu-west-1:123456789012:" + appId), AuthType.KEYS,
                KEY, secret, null, "http://127.0.0.1:4566",
                Set.of("message.new", "reaction.new", "channel:updated", "user_banned-2"), false,
                1_048_576, INGEST_SECRET);
    }

    static AppSettings resourceApp(String appId) {
        return new AppSettings(appId,
                TopicArn.parse("arn:aws:sns:us-east-1:123456789012:" + appId + ".fifo"),
                AuthType.RESOURCE, null, null, null, null, Set.of(), true,
                AppSettings.DEFAULT_MAX_MESSAGE_BYTES, null);
    }

    static AppSettings roleApp(String appId) {
        return new AppSettings(appId, TopicArn.parse("arn:aws:sns:us-west-2:210987654321:events"),
                AuthType.ROLE, null, null, "arn:aws:iam::210987654321:role/relay-publisher", null,
                Set.of("message.new"), true, 100_000, null);
    }

    private static Logger rootLogger() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static String throwableText(IThrowableProxy proxy) {
        return proxy == null ? "" : proxy.getMessage() + throwableText(proxy.getCause());
    }
}
