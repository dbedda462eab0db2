package dev.snsrelay.settings;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the settings database to the schema this relay expects. Steps are numbered, applied
 * once each in order and recorded in schema_version; a released step is never edited, a change
 * is a new step. The SQL is the subset that both H2 and PostgreSQL accept.
 */
final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    /** One step: its statements and its schema_version row commit together where DDL allows. */
    record Step(int version, String description, List<String> statements) {
    }

    // H2 commits DDL on its own, so a step interrupted half-way there is run again in full:
    // every statement must tolerate having run before (IF NOT EXISTS, guarded inserts).
    static final List<Step> STEPS = List.of(
            new Step(1, "app settings and the revision counter", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS app_settings (
                        app_id            VARCHAR(64)   NOT NULL PRIMARY KEY,
                        topic_arn         VARCHAR(400)  NOT NULL,
                        auth_type         VARCHAR(16)   NOT NULL,
                        access_key        VARCHAR(256),
                        secret_key        VARCHAR(1024),
                        role_arn          VARCHAR(2048),
                        endpoint          VARCHAR(2048),
                        event_types       VARCHAR       NOT NULL,
                        enabled           BOOLEAN       NOT NULL,
                        max_message_bytes INTEGER       NOT NULL,
                        revision          BIGINT        NOT NULL,
                        updated_at        TIMESTAMP WITH TIME ZONE NOT NULL
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS settings_revision (
                        id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                        revision BIGINT  NOT NULL
                    )""",
                    """
                    INSERT INTO settings_revision (id, revision)
                    SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM settings_revision)""")),
            new Step(2, "ingest secret for signed HTTP ingest", List.of(
                    "ALTER TABLE app_settings ADD COLUMN IF NOT EXISTS ingest_secret"
                            + " VARCHAR(1024)")));

    private static final String RECORD_STEP = "INSERT INTO schema_version"
            + " (version, description, applied_at) VALUES (?, ?, CURRENT_TIMESTAMP)";

    private SchemaMigrations() {
    }

    /** @return the schema version the database is at afterwards */
    static int apply(Connection c) throws SQLException {
        c.setAutoCommit(false);
        createVersionTable(c);
        Set<Integer> applied = applied(c);
        for (Step step : STEPS) {
            if (applied.contains(step.version())) {
                continue;
            }
            try {
                try (Statement st = c.createStatement()) {
                    for (String sql : step.statements()) {
                        st.execute(sql);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(RECORD_STEP)) {
                    ps.setInt(1, step.version());
                    ps.setString(2, step.description());
                    ps.executeUpdate();
                }
                c.commit();
                LOG.info("Settings schema step {} applied: {}", step.version(),
                        step.description());
            } catch (SQLException e) {
                c.rollback();
                // Another relay starting at the same moment may have applied it first; its
                // schema_version row then made ours fail, and there is nothing left to do.
                if (!applied(c).contains(step.version())) {
                    throw e;
                }
            }
        }
        int version = applied(c).stream().mapToInt(Integer::intValue).max().orElse(0);
        int known = STEPS.get(STEPS.size() - 1).version();
        if (version > known) {
            LOG.warn("Settings schema is at version {}, newer than this relay knows ({});"
                    + " a newer relay shares this database", version, known);
        }
        return version;
    }

    private static void createVersionTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                        version     INTEGER      NOT NULL PRIMARY KEY,
                        description VARCHAR(200) NOT NULL,
                        applied_at  TIMESTAMP WITH TIME ZONE NOT NULL
                    )""");
            c.commit();
        } catch (SQLException e) {
            // PostgreSQL's IF NOT EXISTS can still fail when two relays create the table at
            // once; the table being there afterwards is all that matters.
            c.rollback();
            applied(c);
        }
    }

    private static Set<Integer> applied(Connection c) throws SQLException {
        Set<Integer> versions = new TreeSet<>();
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM schema_version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        c.commit();
        return versions;
    }
}
