package dev.snsrelay.settings;

import java.util.Optional;

/**
 * Where the delivery route finds an app's settings. Asked once per event, so implementations
 * answer from memory or a cache; a change must be visible to the next event.
 */
public interface AppSettingsLookup {

    Optional<AppSettings> find(String appId);
}
