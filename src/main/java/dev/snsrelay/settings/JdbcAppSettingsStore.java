package dev.snsrelay.settings;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App settings in a SQL database: an embedded H2 file for a single relay, or one PostgreSQL
 * database shared by several relays. Lookups are answered from memory, since the delivery route
 * asks once per event; writes go to the database first and then to memory.
 *
 * <p>Every write also increments the single row of settings_revision inside its transaction.
 * That row lock puts all writes of all relays in one order, so polling that one number tells a
 * relay whether anything changed elsewhere, deletes included, and only then does it reload.
 */
public final class JdbcAppSettingsStore implements AppSettingsStore, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcAppSettingsStore.class);

    /**
     * DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database while Camel is
     * still shutting down; {@link #close()} closes it. WRITE_DELAY=0: a commit is on disk before
     * save returns, so an acknowledged change survives a crash (writes are rare; cost is nil).
     * The file lock H2 takes by default keeps a second relay process off the same file.
     */
    static final String H2_OPTIONS = ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";

    // Column sizes of schema step 1; checked here so a too-long value is a field error, and
    // never a database error that could quote the value back.
    private static final int MAX_TOPIC_ARN = 400;
    private static final int MAX_ACCESS_KEY = 256;
    private static final int MAX_SECRET = 1024;
    private static final int MAX_ROLE_ARN = 2048;
    private static final int MAX_ENDPOINT = 2048;

    private static final String COLUMNS = "app_id, topic_arn, auth_type, access_key, secret_key,"
            + " role_arn, endpoint, event_types, enabled, max_message_bytes, ingest_secret";
    private static final String INSERT = "INSERT INTO app_settings (" + COLUMNS
            + ", revision, updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CURRENT_TIMESTAMP)";
    // Same parameter order as INSERT, so one binder serves both.
    private static final String UPDATE = "UPDATE app_settings SET app_id = ?, topic_arn = ?,"
            + " auth_type = ?, access_key = ?, secret_key = ?, role_arn = ?, endpoint = ?,"
            + " event_types = ?, enabled = ?, max_message_bytes = ?, ingest_secret = ?,"
            + " revision = ?,"
            + " updated_at = CURRENT_TIMESTAMP WHERE app_id = ?";

    private final DataSource dataSource;
    private final String where;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService refresher;

    // Writes and refreshes hold this lock for their database work and the cache update, so a
    // refresh never puts back what a write of this instance just replaced.
    private final Object lock = new Object();
    private Connection connection;
    private long knownRevision;
    private boolean refreshFailing;
    private boolean closed;

    /** Sorted by app id, never modified: replaced as a whole, so readers need no lock. */
    private volatile Map<String, AppSettings> cache = Map.of();

    /**
     * Opens the store, brings the schema up to date and loads every app.
     *
     * @param dataSource      the database; one connection is kept open while the store is
     * @param where           the database, for log lines; no credentials
     * @param refreshInterval how often to look for changes made by other relays; zero for never
     */
    public JdbcAppSettingsStore(DataSource dataSource, String where, Duration refreshInterval) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.where = where;
        int schema;
        synchronized (lock) {
            try {
                schema = SchemaMigrations.apply(connection(false));
                knownRevision = currentRevision(connection);
                cache = loadAll(connection);
                connection.commit();
            } catch (SQLException e) {
                discardConnection();
                throw new SettingsStoreException("Could not open the settings store at " + where
                        + ": " + e.getMessage(), e);
            }
        }
        LOG.info("Settings store at {}: schema version {}, {} app(s)", where, schema,
                cache.size());

        if (refreshInterval.isZero() || refreshInterval.isNegative()) {
            refresher = null;
        } else {
            refresher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "settings-refresh");
                t.setDaemon(true);
                return t;
            });
            long ms = refreshInterval.toMillis();
            refresher.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Opens the store on an H2 ({@code jdbc:h2:}) or PostgreSQL ({@code jdbc:postgresql:}) URL.
     * User and password may be blank (H2, or credentials given in the URL).
     */
    public static JdbcAppSettingsStore open(String url, String user, String password,
            Duration refreshInterval) {
        Objects.requireNonNull(url, "url");
        DataSource dataSource;
        if (url.startsWith("jdbc:h2:")) {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL(url);
            if (!isBlank(user)) {
                h2.setUser(user);
            }
            if (!isBlank(password)) {
                h2.setPassword(password);
            }
            dataSource = h2;
        } else if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            pg.setURL(url);
            if (!isBlank(user)) {
                pg.setUser(user);
            }
            if (!isBlank(password)) {
                pg.setPassword(password);
            }
            // The server's error detail can quote a whole failing row, secret included.
            pg.setLogServerErrorDetail(false);
            dataSource = pg;
        } else {
            throw new IllegalArgumentException("The settings store URL must start with jdbc:h2:"
                    + " or jdbc:postgresql:, not " + withoutCredentials(url));
        }
        return new JdbcAppSettingsStore(dataSource, withoutCredentials(url), refreshInterval);
    }

    /**
     * The default database: an H2 file named settings in the relay's data directory. It holds
     * app secrets, so the directory should be readable by the relay's user only.
     */
    // Not yet: secrets are stored in clear; encrypting them needs a key kept outside the database.
    public static String h2Url(Path dataDir) {
        // H2 refuses paths that are implicitly relative to the working directory.
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("settings") + H2_OPTIONS;
    }

    @Override
    public Optional<AppSettings> find(String appId) {
        return appId == null ? Optional.empty() : Optional.ofNullable(cache.get(appId));
    }

    @Override
    public List<AppSettings> list() {
        return List.copyOf(cache.values());
    }

    @Override
    public void save(AppSettings settings) {
        write(settings);
        LOG.info("Settings of app {} saved: {}", settings.appId(), settings);
        // Also on an unchanged save: re-saving is how a user asks for a fresh SNS client.
        notifyListeners(settings.appId());
    }

    @Override
    public boolean delete(String appId) {
        if (!AppSettings.isValidAppId(appId)) {
            return false;
        }
        boolean deleted;
        boolean wasCached;
        synchronized (lock) {
            requireOpen();
            try {
                Connection c = connection(true);
                long revision = nextRevision(c);
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM app_settings WHERE app_id = ?")) {
                    ps.setString(1, appId);
                    deleted = ps.executeUpdate() > 0;
                }
                if (deleted) {
                    c.commit();
                    noteOwnWrite(revision);
                } else {
                    // Nothing changed: leave the revision as it was, so no relay reloads.
                    c.rollback();
                }
            } catch (SQLException e) {
                discardConnection();
                throw failure("Could not delete the settings of app " + appId, e);
            }
            // Also drop it here when another relay deleted it and no refresh has shown it yet.
            wasCached = cache.containsKey(appId);
            if (wasCached) {
                Map<String, AppSettings> next = new TreeMap<>(cache);
                next.remove(appId);
                cache = Collections.unmodifiableMap(next);
            }
        }
        if (deleted) {
            LOG.info("Settings of app {} deleted", appId);
        }
        if (deleted || wasCached) {
            notifyListeners(appId);
        }
        return deleted;
    }

    @Override
    public void onChange(Consumer<String> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Writes the apps declared in application.properties. The integrator's file is the source of
     * truth for what it declares, so its values replace stored ones; apps it does not declare are
     * left alone. Apps already stored with the same values are not rewritten.
     *
     * @return how many apps were written
     */
    public int importDeclared(Map<String, AppSettings> declared) {
        int written = 0;
        for (AppSettings settings : new TreeMap<>(declared).values()) {
            if (!settings.equals(cache.get(settings.appId()))) {
                write(settings);
                notifyListeners(settings.appId());
                written++;
            }
        }
        LOG.info("{} app(s) declared in application.properties, {} written to the settings store",
                declared.size(), written);
        return written;
    }

    /** Stops looking for changes and closes the database connection. */
    @Override
    public void close() {
        if (refresher != null) {
            refresher.shutdown();
            try {
                // Let a refresh in progress finish rather than interrupt it inside the driver.
                refresher.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (lock) {
            closed = true;
            discardConnection();
        }
    }

    @Override
    public String toString() {
        return "JdbcAppSettingsStore[" + where + ", " + cache.size() + " app(s)]";
    }

    /** Inserts or replaces the app in the database, then in memory. */
    private void write(AppSettings settings) {
        Objects.requireNonNull(settings, "settings");
        checkFitsColumns(settings);
        synchronized (lock) {
            requireOpen();
            try {
                Connection c = connection(true);
                long revision = nextRevision(c);
                int updated;
                try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                    bind(ps, settings, revision);
                    ps.setString(13, settings.appId());
                    updated = ps.executeUpdate();
                }
                if (updated == 0) {
                    // No race with another relay inserting the same app: nextRevision's row
                    // lock makes it wait for our commit, and its UPDATE then finds our row.
                    try (PreparedStatement ps = c.prepareStatement(INSERT)) {
                        bind(ps, settings, revision);
                        ps.executeUpdate();
                    }
                }
                c.commit();
                noteOwnWrite(revision);
            } catch (SQLException e) {
                discardConnection();
                throw failure("Could not save the settings of app " + settings.appId(), e,
                        settings.secretKey(), settings.accessKey(), settings.ingestSecret());
            }
            Map<String, AppSettings> next = new TreeMap<>(cache);
            next.put(settings.appId(), settings);
            cache = Collections.unmodifiableMap(next);
        }
    }

    /** Reloads every app when another relay wrote since the last look. */
    private void refresh() {
        Set<String> changed = new TreeSet<>();
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                Connection c = connection(false);
                // The revision first: rows read afterwards are at least that new, so nothing
                // committed before this revision can be missed.
                long revision = currentRevision(c);
                if (revision != knownRevision) {
                    Map<String, AppSettings> loaded = loadAll(c);
                    changed.addAll(differences(cache, loaded));
                    cache = loaded;
                    knownRevision = revision;
                }
                c.commit();
                if (refreshFailing) {
                    refreshFailing = false;
                    LOG.info("Settings store at {} reachable again", where);
                }
            } catch (SQLException e) {
                discardConnection();
                if (!refreshFailing) {
                    refreshFailing = true;
                    LOG.warn("Cannot look for settings changes at {}, serving the last known"
                            + " settings until it answers: {}", where, e.getMessage());
                }
                return;
            }
        }
        if (!changed.isEmpty()) {
            LOG.info("Settings changed elsewhere for app(s) {}", String.join(", ", changed));
        }
        changed.forEach(this::notifyListeners);
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // An exception escaping here would silently cancel every later refresh.
            LOG.warn("Settings refresh failed: {}", e.toString());
        }
    }

    /** Holds the lock. Validates a connection before writes; a failed refresh just reconnects. */
    private Connection connection(boolean validate) throws SQLException {
        if (connection != null && (connection.isClosed() || validate && !connection.isValid(5))) {
            discardConnection();
        }
        if (connection == null) {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
        }
        return connection;
    }

    private void discardConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is going away anyway.
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // As above.
        }
        connection = null;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("The settings store at " + where + " is closed");
        }
    }

    /** Holds the lock. Skips a reload when this write was the only change since the last one. */
    private void noteOwnWrite(long revision) {
        if (revision == knownRevision + 1) {
            knownRevision = revision;
        }
    }

    private static long nextRevision(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            // Takes the row lock that orders this write against every other relay's writes.
            st.executeUpdate("UPDATE settings_revision SET revision = revision + 1 WHERE id = 1");
        }
        return currentRevision(c);
    }

    private static long currentRevision(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT revision FROM settings_revision WHERE id = 1")) {
            if (!rs.next()) {
                throw new SQLException("settings_revision has no row; the schema is damaged");
            }
            return rs.getLong(1);
        }
    }

    private Map<String, AppSettings> loadAll(Connection c) throws SQLException {
        Map<String, AppSettings> apps = new TreeMap<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + COLUMNS + " FROM app_settings")) {
            while (rs.next()) {
                String appId = rs.getString("app_id");
                try {
                    apps.put(appId, read(rs));
                } catch (InvalidSettingsException e) {
                    // Only a hand-edited row gets here; the other apps must keep working.
                    LOG.warn("Stored settings of app {} are unusable and ignored: {}", appId,
                            e.getMessage());
                }
            }
        }
        return Collections.unmodifiableMap(apps);
    }

    private static AppSettings read(ResultSet rs) throws SQLException {
        return new AppSettings(
                rs.getString("app_id"),
                TopicArn.parse(rs.getString("topic_arn")),
                AuthType.fromWire(rs.getString("auth_type")),
                rs.getString("access_key"),
                rs.getString("secret_key"),
                rs.getString("role_arn"),
                rs.getString("endpoint"),
                decodeEventTypes(rs.getString("event_types")),
                rs.getBoolean("enabled"),
                rs.getInt("max_message_bytes"),
                rs.getString("ingest_secret"));
    }

    private static void bind(PreparedStatement ps, AppSettings s, long revision)
            throws SQLException {
        ps.setString(1, s.appId());
        ps.setString(2, s.topicArn().value());
        ps.setString(3, s.authType().wireName());
        setNullable(ps, 4, s.accessKey());
        setNullable(ps, 5, s.secretKey());
        setNullable(ps, 6, s.roleArn());
        setNullable(ps, 7, s.endpoint());
        ps.setString(8, encodeEventTypes(s.eventTypes()));
        ps.setBoolean(9, s.enabled());
        ps.setInt(10, s.maxMessageBytes());
        setNullable(ps, 11, s.ingestSecret());
        ps.setLong(12, revision);
    }

    private static void setNullable(PreparedStatement ps, int index, String value)
            throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    // Event type names cannot contain a comma (AppSettings allows letters, digits and . _ : -),
    // so a sorted comma list round-trips exactly, and the empty string is "every type".
    static String encodeEventTypes(Set<String> types) {
        return String.join(",", new TreeSet<>(types));
    }

    static Set<String> decodeEventTypes(String stored) {
        return Arrays.stream(stored.split(",")).filter(t -> !t.isEmpty())
                .collect(Collectors.toSet());
    }

    private static void checkFitsColumns(AppSettings s) {
        checkLength("sns_topic_arn", s.topicArn().value(), MAX_TOPIC_ARN);
        checkLength("sns_key", s.accessKey(), MAX_ACCESS_KEY);
        checkLength("sns_secret", s.secretKey(), MAX_SECRET);
        checkLength("sns_role_arn", s.roleArn(), MAX_ROLE_ARN);
        checkLength("sns_endpoint", s.endpoint(), MAX_ENDPOINT);
        checkLength("ingest_secret", s.ingestSecret(), MAX_SECRET);
    }

    private static void checkLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw new InvalidSettingsException(field, "must be at most " + max + " characters");
        }
    }

    private static Set<String> differences(Map<String, AppSettings> before,
            Map<String, AppSettings> after) {
        Set<String> changed = new TreeSet<>();
        for (String appId : before.keySet()) {
            if (!before.get(appId).equals(after.get(appId))) {
                changed.add(appId);
            }
        }
        for (String appId : after.keySet()) {
            if (!before.containsKey(appId)) {
                changed.add(appId);
            }
        }
        return changed;
    }

    private void notifyListeners(String appId) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(appId);
            } catch (RuntimeException e) {
                LOG.warn("A settings listener failed for app {}: {}", appId, e.toString());
            }
        }
    }

    /**
     * A store exception whose message and cause carry the driver's message with the given values
     * masked. Drivers may quote bound values back (H2 in conversion errors), and the original
     * exception is not attached, as a logged stack trace would print it.
     */
    private static SettingsStoreException failure(String what, SQLException e,
            String... secrets) {
        String detail = String.valueOf(e.getMessage());
        for (String secret : secrets) {
            if (secret != null && !secret.isEmpty()) {
                detail = detail.replace(secret, "****");
            }
        }
        SQLException masked = new SQLException(detail, e.getSQLState(), e.getErrorCode());
        masked.setStackTrace(e.getStackTrace());
        return new SettingsStoreException(what + ": " + detail, masked);
    }

    private static String withoutCredentials(String url) {
        // Options after ';' (H2) or '?' (PostgreSQL) may hold a password, as may user:pw@host.
        String base = url.split("[;?]", 2)[0];
        return base.replaceFirst("//[^/@]*@", "//");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
