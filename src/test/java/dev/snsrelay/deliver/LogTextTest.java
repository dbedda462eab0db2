package dev.snsrelay.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {

    @Test
    void a_line_break_in_an_event_type_cannot_start_a_forged_log_line() {
        String forged = "x\n16:09:00.000 INFO  [main] d.s.admin.AdminToken - FORGED";
        assertThat(LogText.safe(forged)).doesNotContain("\n").startsWith("x?16:09");
        assertThat(LogText.safe("a\r\u2028b\u0000c\u0085d")).isEqualTo("a??b?c?d");
    }

    @Test
    void a_huge_value_is_cut_so_it_cannot_carry_a_body_into_the_log() {
        String huge = "t".repeat(2_000_000);
        assertThat(LogText.safe(huge)).hasSize(123).endsWith("...");
    }

    @Test
    void ordinary_types_and_ids_are_unchanged() {
        assertThat(LogText.safe("message.new")).isEqualTo("message.new");
        assertThat(LogText.safe("wh-2024:0001_ü")).isEqualTo("wh-2024:0001_ü");
        assertThat(LogText.safe(null)).isNull();
    }
}
