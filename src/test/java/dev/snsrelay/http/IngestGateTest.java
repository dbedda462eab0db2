package dev.snsrelay.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IngestGateTest {

    @ParameterizedTest
    @ValueSource(strings = {"/v1/apps/demo/events", "/v1/apps/a/events", "/v1/apps/x%2Fy/events"})
    void the_gate_takes_the_events_path_of_any_one_app(String path) {
        assertThat(IngestGate.isEventsPath(path)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/apps//events", "/v1/apps/a/b/events", "/v1/apps/demo/settings",
        "/v1/apps/events", "/dashboard", "/observe/metrics", "/v1/apps/demo/events/x"})
    void the_gate_leaves_every_other_path_to_camel(String path) {
        assertThat(IngestGate.isEventsPath(path)).isFalse();
    }
}
