package dev.octo.bootstrap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Looking at the processes of tasks from outside, the way a user with {@code ps} would. */
final class Processes {

    private Processes() {
    }

    /** The processes whose command line holds {@code marker}, and everything they started. */
    static List<ProcessHandle> withMarkerAndDescendants(String marker) {
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(marker))
                .forEach(p -> {
                    found.add(p);
                    p.descendants().forEach(found::add);
                });
        return found;
    }

    /**
     * Whether {@code process} still runs. A killed process whose parent ended stays a zombie where
     * nothing reaps orphans (some containers): it no longer runs, though {@link ProcessHandle#isAlive}
     * says it is alive.
     */
    static boolean isRunning(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            // pid (command) state ...: the command may hold spaces and parentheses
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return process.isAlive();
        }
    }

    static void killAll(String marker) {
        for (ProcessHandle process : withMarkerAndDescendants(marker)) {
            process.destroyForcibly();
        }
    }
}
