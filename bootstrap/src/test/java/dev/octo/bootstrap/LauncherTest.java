package dev.octo.bootstrap;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import dev.octo.application.fakes.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
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

    /** As {@link #fakeJdk(String, int, boolean)}, on a platform where the cache can be made. */
    private Path fakeJdk(String name, int version) throws IOException {
        return fakeJdk(name, version, true);
    }

    /**
     * A JDK of {@code version} whose java answers the launcher's version question and logs each call.
     * With {@code canMakeCache} it makes an ahead-of-time cache when asked ({@code -XX:AOTCacheOutput})
     * and checks one ({@code -XX:AOTMode=on}) as the real one does: a cache it did not make fails.
     * Without, both fail, as on a platform the JDK's cache does not support.
     */
    private Path fakeJdk(String name, int version, boolean canMakeCache) throws IOException {
        Path bin = Files.createDirectories(root.resolve("jdks").resolve(name).resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, """
                #!/bin/sh
                echo "$*" >> "$(dirname "$0")/calls"
                aot=%b check=false cache=
                for arg in "$@"; do
                  case "$arg" in
                    -XX:AOTCacheOutput=*) $aot || exit 1; echo "cache of %s" > "${arg#*=}"; exit 0 ;;
                    -XX:AOTCache=*) cache="${arg#*=}" ;;
                    -XX:AOTMode=on) $aot || exit 1; check=true ;;
                  esac
                done
                if $check; then grep -qx "cache of %s" "$cache" || exit 1; fi
                case "$*" in
                  *-XshowSettings*) echo "    java.specification.version = %d" >&2 ;;
                  *) echo "ran on %s" ;;
                esac
                """.formatted(canMakeCache, name, name, version, name), UTF_8);
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

    private static List<String> jarRuns(List<String> calls) {
        return calls.stream().filter(call -> call.contains("-jar") && !call.contains("-XX:AOTMode=on")).toList();
    }

    private static long cachesMade(List<String> calls) {
        return calls.stream().filter(call -> call.contains("-XX:AOTCacheOutput=")).count();
    }

    /** What the background rehearsal wrote down once it ended: "ready" or "unavailable". */
    private String awaitCacheState() throws IOException {
        Path state = root.resolve("bootstrap/target/octo.aot.state");
        awaitNoRehearsal();
        Eventually.await("the rehearsal's record", Duration.ofSeconds(30), () -> Files.exists(state));
        return Files.readAllLines(state).get(1);
    }

    /**
     * Waits until no rehearsal runs in the background: a test that does not wait for the cache would
     * otherwise end while one still writes in its folder, which then cannot be deleted.
     */
    @AfterEach
    void awaitNoRehearsal() {
        Path making = root.resolve("bootstrap/target/octo.aot.making");
        Eventually.await("the rehearsal ends", Duration.ofSeconds(30), () -> !Files.exists(making));
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
        assertThat(jarRuns(calls(jdk))).hasSize(3);
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
    void theFirstStartUsesClassDataSharingWhileTheAheadOfTimeCacheIsMadeInTheBackgroundForTheNext() throws Exception {
        Path jdk = fakeJdk("jdk-25", 25);

        assertThat(octo(jdk)).isEqualTo("ran on jdk-25");
        assertThat(awaitCacheState()).isEqualTo("ready");
        assertThat(octo(jdk)).isEqualTo("ran on jdk-25");
        assertThat(octo(jdk)).isEqualTo("ran on jdk-25");

        List<String> calls = calls(jdk);
        assertThat(cachesMade(calls)).isEqualTo(1);
        assertThat(calls).filteredOn(call -> call.contains("-XX:AOTCacheOutput="))
                .allMatch(call -> call.contains("dev.octo.bootstrap.StartRehearsal"));
        List<String> runs = jarRuns(calls);
        assertThat(runs).hasSize(3);
        assertThat(runs.get(0)).contains("-XX:SharedArchiveFile=").doesNotContain("-XX:AOTCache=");
        assertThat(runs.subList(1, 3)).allMatch(run -> run.contains("-XX:AOTCache=" + root.resolve("bootstrap/target/octo.aot"))
                && !run.contains("SharedArchiveFile"));
        assertThat(root.resolve("bootstrap/target")).isDirectoryNotContaining("glob:**/octo.aot.[0-9]*");
    }

    @Test
    void aJdkThatCannotMakeTheCacheKeepsClassDataSharingAndIsNotAskedAgainUntilTheNextBuild() throws Exception {
        Path jdk = fakeJdk("jdk-25", 25, false);

        octo(jdk);
        assertThat(awaitCacheState()).isEqualTo("unavailable");
        octo(jdk);
        octo(jdk);

        assertThat(cachesMade(calls(jdk))).isEqualTo(1);
        assertThat(jarRuns(calls(jdk))).hasSize(3).allMatch(run -> run.contains("-XX:SharedArchiveFile=")
                && !run.contains("-XX:AOTCache="));
        assertThat(root.resolve("bootstrap/target/octo.aot")).doesNotExist();
    }

    @Test
    void aCacheOlderThanTheBuildIsNotUsedAndIsMadeAgain() throws Exception {
        Path jdk = cacheMadeAgainAfter(() -> {
            // a build after the cache was made: what was written down is older than the jar
            Path state = root.resolve("bootstrap/target/octo.aot.state");
            Files.setLastModifiedTime(state, FileTime.from(Files.getLastModifiedTime(jar).toInstant().minusSeconds(10)));
        });

        assertThat(cachesMade(calls(jdk))).isEqualTo(2);
    }

    @Test
    void aCacheChangedAfterItWasCheckedIsNotUsedAndIsMadeAgain() throws Exception {
        Path cache = root.resolve("bootstrap/target/octo.aot");
        cacheMadeAgainAfter(() -> {
            Files.writeString(cache, "damaged");
            Files.setLastModifiedTime(cache, FileTime.from(Files.getLastModifiedTime(cache).toInstant().plusSeconds(10)));
        });

        assertThat(Files.readString(cache)).isEqualTo("cache of jdk-25\n");
    }

    private interface Spoiling {
        void spoil() throws IOException;
    }

    /**
     * Starts with a JDK 25 until its cache is made, spoils it, and checks that the next start does not
     * use it and makes it again, for the start after; returns the JDK.
     */
    private Path cacheMadeAgainAfter(Spoiling spoiling) throws Exception {
        Path jdk = fakeJdk("jdk-25", 25);
        octo(jdk);
        awaitCacheState();

        spoiling.spoil();
        octo(jdk);
        assertThat(awaitCacheState()).isEqualTo("ready");
        octo(jdk);

        List<String> runs = jarRuns(calls(jdk));
        assertThat(runs.get(1)).doesNotContain("-XX:AOTCache=");
        assertThat(runs.get(2)).contains("-XX:AOTCache=");
        return jdk;
    }

    @Test
    void aCacheMadeByAnotherJdkIsMadeAgainForThisOne() throws Exception {
        Path first = fakeJdk("jdk-25", 25);
        Path second = fakeJdk("jdk-26", 26);
        octo(first);
        awaitCacheState();

        octo(second);
        awaitCacheState();
        octo(second);

        assertThat(cachesMade(calls(second))).isEqualTo(1);
        assertThat(jarRuns(calls(second))).last().asString().contains("-XX:AOTCache=");
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
