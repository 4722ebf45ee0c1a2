package dev.octo.application.port.in;

import static org.assertj.core.api.Assertions.assertThat;

import dev.octo.application.port.in.CommandCatalogue.Command;
import dev.octo.application.port.in.CommandCatalogue.TaskSubcommand;
import org.junit.jupiter.api.Test;

class CommandCatalogueTest {

    @Test
    void theHelpListsEveryCommandWithItsHelpLine() {
        assertThat(CommandCatalogue.help()).isEqualTo(String.join("\n",
                "Commands:",
                "  /bg [--timeout S] [--] <command>     run a shell command in the background",
                "  /agent [--name NAME] [--timeout S] <prompt>",
                "                                       give a task to an LLM agent",
                "  /tasks [all] [status]                list the newest 50 tasks, newest first (all: every one)",
                "  /task <id>                           show one task: status, times, result, output tail",
                "  /task <id> cancel                    cancel a waiting, running or paused task",
                "  /task <id> resume <answer>           answer a paused agent task",
                "  /task <id> log [-f]                  the task's output (last 100 lines; -f follows it)",
                "  /task <id> retry                     run a finished task again as a new task",
                "  /task <id> followup <instruction>    new agent task that goes on from this one",
                "  /wait [id]                           wait until that task (or every task) is done",
                "  /clean [status] [--older-than DAYS]  remove finished tasks and their files",
                "  /help                                this text",
                "  /exit, /quit                         leave",
                "Any other text goes to the supervisor. Task ids may be shortened to a unique prefix."));
    }

    @Test
    void theWordsOfferedAreTheCommandsOfTheHelp() {
        assertThat(CommandCatalogue.commandWords())
                .containsExactly("/bg", "/agent", "/tasks", "/task", "/wait", "/clean", "/help", "/exit", "/quit");
        assertThat(CommandCatalogue.taskSubcommandWords())
                .containsExactly("cancel", "resume", "log", "retry", "followup");
    }

    @Test
    void aCommandIsFoundByAnyOfItsWordsInAnyCase() {
        assertThat(Command.named("/BG")).contains(Command.BG);
        assertThat(Command.named("/quit")).contains(Command.EXIT);
        assertThat(Command.named("/start")).contains(Command.HELP);
        assertThat(Command.named("/nope")).isEmpty();
        assertThat(Command.named("bg")).isEmpty();
    }

    @Test
    void aSubcommandIsFoundByItsWordOrAnOtherSpelling() {
        assertThat(TaskSubcommand.named("Cancel")).contains(TaskSubcommand.CANCEL);
        assertThat(TaskSubcommand.named("answer")).contains(TaskSubcommand.RESUME);
        assertThat(TaskSubcommand.named("logs")).contains(TaskSubcommand.LOG);
        assertThat(TaskSubcommand.named("follow-up")).contains(TaskSubcommand.FOLLOWUP);
        assertThat(TaskSubcommand.named("")).isEmpty();
    }

    @Test
    void aSubcommandsUsageNamesItsArguments() {
        assertThat(TaskSubcommand.RESUME.usage()).isEqualTo("Usage: /task <id> resume <answer>");
        assertThat(TaskSubcommand.CANCEL.usage()).isEqualTo("Usage: /task <id> cancel");
    }
}
