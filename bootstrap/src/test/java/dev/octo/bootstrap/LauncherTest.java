package dev.octo.bootstrap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code octo} launcher script itself, run by bash in a folder of its own: a built jar beside it
 * and JDKs that are small scripts, which write down how they were called.
 */
class LauncherTest {

    @TempDir
    Path root;
    private Path jar;

    @BeforeEach
    void aLauncherBesideABuiltJar() throws IOException {
        Files.copy(Path.of(System.getProperty("octo.launcher", "../octo")), root.resolve("octo"));
        Files.createDirectories(root.resolve("bootstrap/target"));
        jar = Files.writeString(root.resolve("bootstrap/target/octo.jar"), "not read by a fake JDK");
    }

    /** A JDK of {@code version} whose java answers the launcher's version question and logs each call. */
    private Path fakeJdk(String name, int version) throws IOException {
        Path bin = Files.createDirectories(root.resolve("jdks").resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "$*" >> "$(dirname "$0")/calls"
                case "$*" in
                  *-XshowSettings*) echo "    java.specification.version = %d" >&2 ;;
                  *) echo "ran on %s" ;;
                esac
                """.formatted(version, name), UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin.getParent();
    }

    private List<String> calls(Path jdk) throws IOException {
        Path calls = jdk.resolve("bin/calls");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    private static long versionQuestions(List<String> calls) {
        return calls.stream().filter(call -> call.contains("-XshowSettings")).count();
    }

    private String octo(Path javaHome) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("octo").toString(), "--version")
                .redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", javaHome.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output.strip();
    }

    @Test
    void theJdkFoundIsRememberedSoALaterStartAsksNoJdkItsVersion() throws Exception {
        Path jdk = fakeJdk("jdk-25", 25);

        assertThat(octo(jdk)).isEqualTo("ran on jdk-25");
        assertThat(octo(jdk)).isEqualTo("ran on jdk-25");
        assertThat(octo(jdk)).isEqualTo("ran on jdk-25");

        assertThat(versionQuestions(calls(jdk))).isEqualTo(1);
        assertThat(calls(jdk)).filteredOn(call -> call.contains("-jar")).hasSize(3);
    }

    @Test
    void aNewBuildMakesItLookAgain() throws Exception {
        Path jdk = fakeJdk("jdk-25", 25);
        octo(jdk);

        // a build after the JDK was remembered: the jar is newer than what was written down
        Path remembered = root.resolve("bootstrap/target/octo.jdk");
        assertThat(remembered).exists();
        Files.setLastModifiedTime(remembered, FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(10)));
        octo(jdk);
        octo(jdk);

        assertThat(versionQuestions(calls(jdk))).isEqualTo(2);
    }

    @Test
    void anotherJavaHomeIsLookedAtAndUsed() throws Exception {
        Path first = fakeJdk("jdk-25", 25);
        Path second = fakeJdk("jdk-26", 26);
        octo(first);

        assertThat(octo(second)).isEqualTo("ran on jdk-26");
        assertThat(versionQuestions(calls(second))).isEqualTo(1);
    }
}
