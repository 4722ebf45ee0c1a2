package dev.octo.adapters.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.adapters.telegram.BotState.About;
import dev.octo.adapters.telegram.BotState.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateFilesTest {

    @TempDir
    Path folder;

    @Test
    void jsonRoundTripsWhatTheFilesHold() {
        Map<String, Object> value = Map.of("text", "a \"quoted\"\n\\ line\t\u0001é😀", "number", -42L,
                "list", List.of(true, false, "x"));

        Object parsed = Json.parse(Json.write(value));

        assertThat(parsed).isEqualTo(value);
        assertThat(Json.parse(" {\"a\" : [ 1 , {\"b\":null} ] , \"c\":\"\\u0041\"} ")).isEqualTo(
                Map.of("a", List.of(1L, Collections.singletonMap("b", null)), "c", "A"));
    }

    @Test
    void theOffsetAndTheRoutesSurviveARestartAndTheOldestRoutesGoFirst() {
        Path file = folder.resolve("telegram/state.json");
        BotState state = new BotState(file, 3);
        state.handled(41);
        for (int message = 1; message <= 5; message++) {
            state.remember(7, message, new Route("task000" + message, message % 2 == 0 ? About.QUESTION : About.FINISHED));
        }

        BotState again = new BotState(file, 3);

        assertThat(again.lastUpdateId()).isEqualTo(41);
        assertThat(again.routeCount()).isEqualTo(3);
        assertThat(again.routeOf(7, 1)).isEmpty();
        assertThat(again.routeOf(7, 4)).contains(new Route("task0004", About.QUESTION));
        assertThat(again.routeOf(7, 5)).contains(new Route("task0005", About.FINISHED));
        assertThat(again.routeOf(8, 5)).isEmpty();
        assertThat(folder.resolve("telegram/state.json.tmp")).doesNotExist();
    }

    @Test
    void aFileThatCannotBeReadIsMovedAsideAndTheBotStartsWithout() throws Exception {
        Path file = folder.resolve("authorized_users.json");
        Files.writeString(file, "{\"users\": [ {\"id\": 5");

        AuthorizedUsers users = new AuthorizedUsers(file, 1);

        assertThat(users.users()).isEmpty();
        assertThat(users.isAuthorized(1)).isTrue();
        assertThat(folder.resolve("authorized_users.json.corrupt")).exists();
    }

    @Test
    void authorizedUsersAreKeptWithTheirNames() {
        Path file = folder.resolve("authorized_users.json");
        AuthorizedUsers users = new AuthorizedUsers(file, 1);
        assertThat(users.authorize(5, "Ann \"the\" <admin>", Instant.parse("2026-01-01T00:00:00Z"))).isTrue();
        assertThat(users.authorize(6, "", Instant.parse("2026-01-02T00:00:00Z"))).isTrue();
        assertThat(users.revoke(6)).isTrue();
        assertThat(users.revoke(6)).isFalse();

        AuthorizedUsers again = new AuthorizedUsers(file, 1);

        assertThat(again.users()).containsExactly(
                new AuthorizedUsers.User(5, "Ann \"the\" <admin>", Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(again.chats()).containsExactly(1L, 5L);
        assertThat(again.isAuthorized(6)).isFalse();
    }

    @Test
    void callbackDataStaysWithinSixtyFourBytesAndParsesBack() {
        var button = TaskButton.CANCEL.forTask("abcd1234").orElseThrow();
        assertThat(button.data()).isEqualTo("c:abcd1234");
        assertThat(TaskButton.parse(button.data())).contains(new TaskButton.Pressed(TaskButton.CANCEL, "abcd1234"));
        assertThat(TaskButton.parse(button.data()).orElseThrow().command()).isEqualTo("/task abcd1234 cancel");
        assertThat(TaskButton.SHOW.forTask("x".repeat(63))).isEmpty();
        assertThat(TaskButton.parse("c:abcd; rm -rf")).isEmpty();
        assertThat(TaskButton.parse("z:abcd1234")).isEmpty();
    }
}
