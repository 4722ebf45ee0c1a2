package dev.octo.adapters.cli.socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void quotingEscapesWhatWouldBreakALineOrAString() {
        assertThat(Json.quote("a\"b\\c\nd\re\tf\u0000g\u001b[31mh\u2028i"))
                .isEqualTo("\"a\\\"b\\\\c\\nd\\re\\tf\\u0000g\\u001b[31mh\\u2028i\"");
    }

    @Test
    void whatIsWrittenReadsBackTheSame() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "line one\nline two \"quoted\" \\ é 🐙 \u0007");
        value.put("number", 42L);
        value.put("negative", -3L);
        value.put("flag", true);
        value.put("nothing", null);
        value.put("list", List.of("a", 1L, List.of(), Map.of()));
        String json = Json.write(value);

        assertThat(json).doesNotContain("\n");
        assertThat(Json.parseObject(json)).isEqualTo(value);
    }

    @Test
    void parsesWhatOtherWritersProduce() {
        assertThat(Json.parseObject(" { \"a\" : \"\\u00e9\\/\" , \"b\" : [ 1.5 , false ] } "))
                .containsEntry("a", "é/")
                .containsEntry("b", List.of(1.5, false));
    }

    @Test
    void refusesMalformedText() {
        for (String bad : List.of("", "[]", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":\"x}", "{\"a\":1} x",
                "{\"a\":tru}", "{\"a\":\"\\q\"}", "{\"a\":\"\\u12\"}", "{\"a\":1-2}", "{'a':1}")) {
            assertThatThrownBy(() -> Json.parseObject(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void refusesNestingDeepEnoughToExhaustTheStack() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        assertThatThrownBy(() -> Json.parseObject(deep)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deep");
    }
}
