package dev.snsrelay.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store on its default database: an H2 file in the relay's data directory. */
class H2AppSettingsStoreTest extends AppSettingsStoreContract {

    @TempDir
    Path dataDir;

    @Override
    String url() {
        return JdbcAppSettingsStore.h2Url(dataDir);
    }

    @Test
    void settings_survive_closing_and_reopening_the_file() {
        JdbcAppSettingsStore store = open();
        store.save(keysApp("chat"));
        store.save(resourceApp("other"));
        store.delete("other");
        store.close();

        assertThat(dataDir.resolve("settings.mv.db")).isRegularFile();
        assertThat(open().list()).containsExactly(keysApp("chat"));
    }

    @Test
    void a_url_for_another_database_is_refused_without_repeating_its_password() {
        assertThatThrownBy(() -> JdbcAppSettingsStore.open(
                "jdbc:mysql://admin:hunter2@db:3306/relay?password=hunter2", "", "",
                Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:mysql://db:3306/relay")
                .hasMessageNotContaining("hunter2");
    }
}
