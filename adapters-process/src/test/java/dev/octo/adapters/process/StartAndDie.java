package dev.octo.adapters.process;

import dev.octo.application.port.out.RunningProcess;
import dev.octo.domain.ProcessSpec;
import dev.octo.domain.TaskId;
import java.nio.file.Path;

/**
 * Run in a child JVM by the tests: starts one task, prints "pid startInstant" and waits to be
 * killed, as an Octo that crashes while its task runs.
 *
 * <p>Arguments: the tasks directory, the task id, the working directory, the command.
 */
public final class StartAndDie {

    private StartAndDie() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalProcessRunner runner = new LocalProcessRunner(Path.of(args[0]));
        RunningProcess process = runner.start(TaskId.of(args[1]), ProcessSpec.of(args[3], Path.of(args[2])));
        System.out.println(process.ref().pid() + " " + process.ref().processStart());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
