package dev.snsrelay.settings;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Settings that can change while the relay runs (through the REST API and the dashboard), kept
 * where they survive a restart. Lookups stay answerable from memory, as the delivery route needs.
 */
public interface AppSettingsStore extends AppSettingsLookup {

    /** Every stored app, sorted by app id. */
    List<AppSettings> list();

    @Override
    Optional<AppSettings> find(String appId);

    /** Inserts the app, or replaces every field of the stored one. */
    void save(AppSettings settings);

    /** @return false when no such app was stored */
    boolean delete(String appId);

    /**
     * Calls the listener with an app id after that app was saved or deleted, here or by another
     * relay sharing the database, so that whatever was built from the old settings (the app's SNS
     * client) can be dropped. Listeners run on the writing or refreshing thread; keep them short.
     */
    void onChange(Consumer<String> listener);
}
