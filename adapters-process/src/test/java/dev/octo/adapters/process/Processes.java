package dev.octo.adapters.process;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What tests check about real processes, read from /proc as {@code ps -eo pid,args} shows it. */
final class Processes {

    private Processes() {
    }

    /** The command lines (argv joined by spaces) of live processes that mention {@code marker}. */
    static List<String> livingWith(String marker) {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                try {
                    // a zombie's cmdline is empty, so only processes that still run are seen
                    String commandLine = Files.readString(entry.resolve("cmdline"), ISO_8859_1).replace('\0', ' ');
                    if (commandLine.contains(marker)) {
                        found.add(entry.getFileName() + " " + commandLine);
                    }
                } catch (IOException gone) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /** How many live processes run {@code program}: their command line starts with it. */
    static long running(Path program) {
        return livingWith(program.toString()).stream()
                .filter(line -> line.substring(line.indexOf(' ') + 1).startsWith(program + " "))
                .count();
    }

    /** The process group of {@code pid}, from field 5 of /proc/<pid>/stat. */
    static long processGroupOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), ISO_8859_1);
        String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(afterName[2]);
    }


    /** A copy of {@code sleep} whose path carries {@code marker}, so every process of it shows the marker. */
    static Path markedSleep(Path directory, String marker) throws IOException {
        Path copy = directory.resolve("sleep-" + marker);
        Path sleep = Files.isExecutable(Path.of("/usr/bin/sleep")) ? Path.of("/usr/bin/sleep") : Path.of("/bin/sleep");
        Files.copy(sleep, copy);
        copy.toFile().setExecutable(true);
        return copy;
    }
}
