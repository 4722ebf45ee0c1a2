package dev.octo.adapters.cli.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.TaskView;
import dev.octo.domain.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProtocolTest {

    @Test
    void aTaskTableCarriesItsRowsTheCountOfOlderTasksAndTheTextThatSaysSo() {
        Reply reply = new Reply.Tasks(List.of(new TaskView("abcd1234", "process", TaskStatus.COMPLETED, "3s", "make")),
                Optional.empty(), 9_950);

        Map<String, Object> message = Json.parseObject(Protocol.reply(reply));

        assertThat(message).containsEntry("reply", "tasks").containsEntry("older", 9_950L);
        assertThat((List<?>) message.get("tasks")).singleElement()
                .satisfies(row -> assertThat(((Map<?, ?>) row).get("id")).isEqualTo("abcd1234"));
        assertThat((String) message.get("text")).endsWith("\n… and 9,950 older tasks: /tasks all shows every one.");
    }
}
