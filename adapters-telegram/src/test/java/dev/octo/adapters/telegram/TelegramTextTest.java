package dev.octo.adapters.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.in.Reply;
import dev.octo.application.port.in.TaskView;
import dev.octo.domain.TaskStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelegramTextTest {

    private static final List<TaskView> ROWS =
            List.of(new TaskView("abcd1234", "process", TaskStatus.FAILED, "3s", "make <all>"));

    @Test
    void aListThatLeavesOlderTasksOutEndsWithTheirCountInItalics() {
        String html = TelegramText.reply(new Reply.Tasks(ROWS, Optional.of(TaskStatus.FAILED), 120)).html();

        assertThat(html).contains("<code>abcd1234</code>").contains("make &lt;all&gt;")
                .endsWith("\n<i>… and 120 older failed tasks: /tasks all failed shows every one.</i>");
    }

    @Test
    void aListOfEveryTaskAskedForHasNoSuchLine() {
        assertThat(TelegramText.reply(new Reply.Tasks(ROWS, Optional.empty(), 0)).html()).doesNotContain("older");
    }
}
