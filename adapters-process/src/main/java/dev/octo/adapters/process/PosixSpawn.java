package dev.octo.adapters.process;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Starts programs with the C library's {@code posix_spawn}, through the Foreign Function and Memory
 * API, straight into a session of their own ({@code POSIX_SPAWN_SETSID}): no spawn helper, no
 * {@code setsid} program, so a task costs one program start, and its process group exists from the
 * first instant, so a signal to the group can never miss it. The child's standard streams are opened
 * on files by the spawn itself, every other descriptor is closed (Octo's lock, logs and sockets must
 * not outlive it in a task), its signal mask is empty and every signal has its default action.
 *
 * <p>The JDK cannot do this: its {@code ProcessBuilder} neither makes a session nor lets go of a
 * child it did not reap itself. Here the caller reaps: {@link #awaitExit} waits for the child with
 * {@code waitpid}, on a platform thread since the call blocks in native code.
 *
 * <p>Only where the C library is glibc on Linux (the flag values and the
 * {@code posix_spawn_file_actions_addclosefrom_np} extension are glibc's): {@link #load()} is empty
 * elsewhere, and tasks are then started through {@code ProcessBuilder} and the {@code setsid} program.
 */
final class PosixSpawn {

    // glibc's <spawn.h>, <fcntl.h> and <sys/wait.h> on Linux
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 01;
    private static final int O_CREAT = 0100;
    private static final int O_TRUNC = 01000;
    private static final int CREATE_MODE = 0666; // less the umask, as a shell's '>' creates files
    private static final int EINTR = 4;

    // posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80 and sigset_t 128 on 64-bit glibc:
    // room to spare, since only the C library reads them
    private static final long OPAQUE_BYTES = 1024;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final MethodHandle spawn;
    private final MethodHandle attrInit;
    private final MethodHandle attrDestroy;
    private final MethodHandle attrSetFlags;
    private final MethodHandle attrSetSigMask;
    private final MethodHandle attrSetSigDefault;
    private final MethodHandle actionsInit;
    private final MethodHandle actionsDestroy;
    private final MethodHandle actionsAddOpen;
    private final MethodHandle actionsAddChdir;
    private final MethodHandle actionsAddCloseFrom;
    private final MethodHandle sigEmptySet;
    private final MethodHandle sigFillSet;
    private final MethodHandle waitpid;
    private final MethodHandle kill;
    private final MethodHandle strerror;

    private PosixSpawn(SymbolLookup c) {
        FunctionDescriptor intOfPointer = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        FunctionDescriptor intOfTwoPointers = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
        spawn = handle(c, "posix_spawn", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        attrInit = handle(c, "posix_spawnattr_init", intOfPointer);
        attrDestroy = handle(c, "posix_spawnattr_destroy", intOfPointer);
        attrSetFlags = handle(c, "posix_spawnattr_setflags", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
        attrSetSigMask = handle(c, "posix_spawnattr_setsigmask", intOfTwoPointers);
        attrSetSigDefault = handle(c, "posix_spawnattr_setsigdefault", intOfTwoPointers);
        actionsInit = handle(c, "posix_spawn_file_actions_init", intOfPointer);
        actionsDestroy = handle(c, "posix_spawn_file_actions_destroy", intOfPointer);
        actionsAddOpen = handle(c, "posix_spawn_file_actions_addopen",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        actionsAddChdir = handle(c, "posix_spawn_file_actions_addchdir_np", intOfTwoPointers);
        actionsAddCloseFrom = handle(c, "posix_spawn_file_actions_addclosefrom_np",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        sigEmptySet = handle(c, "sigemptyset", intOfPointer);
        sigFillSet = handle(c, "sigfillset", intOfPointer);
        waitpid = LINKER.downcallHandle(find(c, "waitpid"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
                Linker.Option.captureCallState("errno"));
        kill = handle(c, "kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        strerror = handle(c, "strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    /**
     * The C library's spawn, when this is Linux with glibc 2.34 or later and this JVM may call native
     * code; empty otherwise (another system, another C library, or native access denied).
     */
    static Optional<PosixSpawn> load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PosixSpawn(LINKER.defaultLookup()));
        } catch (RuntimeException | LinkageError unavailable) {
            // a missing symbol (musl, an old glibc) or native access denied (IllegalCallerException)
            System.getLogger(PosixSpawn.class.getName()).log(System.Logger.Level.INFO,
                    "posix_spawn cannot be used here ({0}): tasks are started through setsid", unavailable.toString());
            return Optional.empty();
        }
    }

    private static MethodHandle handle(SymbolLookup c, String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(c, name), descriptor);
    }

    private static MemorySegment find(SymbolLookup c, String name) {
        return c.find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
    }

    /**
     * Starts {@code program} with {@code arguments} (the first is its {@code argv[0]}) and exactly
     * {@code environment} ("NAME=value" entries), in {@code directory}, leading a new session; its
     * stdin reads {@code stdin}, and its stdout and stderr are created or truncated on {@code stdout}
     * and {@code stderr}. Returns its pid.
     *
     * @throws IOException when it cannot start; the message says why, as the C library does
     *     ("No such file or directory" for a folder or log that cannot be opened)
     */
    int spawn(Path program, List<String> arguments, List<String> environment, Path directory,
            Path stdin, Path stdout, Path stderr) throws IOException {
        requireNonNull(program, "program is null");
        requireNonNull(arguments, "arguments is null");
        requireNonNull(environment, "environment is null");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attributes = arena.allocate(OPAQUE_BYTES, 16);
            MemorySegment actions = arena.allocate(OPAQUE_BYTES, 16);
            check("posix_spawnattr_init", (int) attrInit.invokeExact(attributes));
            try {
                check("posix_spawn_file_actions_init", (int) actionsInit.invokeExact(actions));
                try {
                    MemorySegment noSignals = arena.allocate(OPAQUE_BYTES, 16);
                    MemorySegment allSignals = arena.allocate(OPAQUE_BYTES, 16);
                    check("sigemptyset", (int) sigEmptySet.invokeExact(noSignals));
                    check("sigfillset", (int) sigFillSet.invokeExact(allSignals));
                    check("posix_spawnattr_setsigmask", (int) attrSetSigMask.invokeExact(attributes, noSignals));
                    check("posix_spawnattr_setsigdefault", (int) attrSetSigDefault.invokeExact(attributes, allSignals));
                    short flags = POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
                    check("posix_spawnattr_setflags", (int) attrSetFlags.invokeExact(attributes, flags));
                    // in this order in the child: the folder first, so that relative log paths would
                    // still mean what they mean here (they are absolute anyway)
                    check("posix_spawn_file_actions_addchdir_np",
                            (int) actionsAddChdir.invokeExact(actions, arena.allocateFrom(directory.toString())));
                    addOpen(arena, actions, 0, stdin, O_RDONLY);
                    addOpen(arena, actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC);
                    addOpen(arena, actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC);
                    check("posix_spawn_file_actions_addclosefrom_np", (int) actionsAddCloseFrom.invokeExact(actions, 3));
                    MemorySegment pid = arena.allocate(JAVA_INT);
                    int error = (int) spawn.invokeExact(pid, arena.allocateFrom(program.toString()), actions, attributes,
                            strings(arena, arguments), strings(arena, environment));
                    if (error != 0) {
                        throw new IOException(describe(error));
                    }
                    return pid.get(JAVA_INT, 0);
                } finally {
                    int ignored = (int) actionsDestroy.invokeExact(actions);
                }
            } finally {
                int ignored = (int) attrDestroy.invokeExact(attributes);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private void addOpen(Arena arena, MemorySegment actions, int fd, Path path, int flags) throws Throwable {
        check("posix_spawn_file_actions_addopen",
                (int) actionsAddOpen.invokeExact(actions, fd, arena.allocateFrom(path.toString()), flags, CREATE_MODE));
    }

    private static MemorySegment strings(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    private void check(String call, int result) throws IOException {
        if (result != 0) {
            throw new IOException(call + ": " + describe(result));
        }
    }

    /**
     * Waits until the child {@code pid} ends, reaps it, and returns its exit code as
     * {@link Process#exitValue()} gives it: the status it exited with, or 128 plus the signal that
     * ended it. Blocks in native code: call it on a platform thread.
     *
     * @throws IOException when the child cannot be waited for (it is not this process's child, or
     *     was reaped elsewhere)
     */
    int awaitExit(int pid) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment status = arena.allocate(JAVA_INT);
            while (true) {
                int result = (int) waitpid.invokeExact(state, pid, status, 0);
                if (result == pid) {
                    int raw = status.get(JAVA_INT, 0);
                    int signal = raw & 0x7f;
                    return signal == 0 ? (raw >> 8) & 0xff : 128 + signal;
                }
                int errno = (int) ERRNO.get(state, 0L);
                if (errno != EINTR) {
                    throw new IOException("waitpid " + pid + ": " + describe(errno));
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Sends {@code signal} to every process of group {@code pgid}; whether it reached any. */
    boolean signalGroup(long pgid, int signal) {
        if (pgid <= 1 || pgid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a process group a task leads: " + pgid);
        }
        try {
            return (int) kill.invokeExact(-(int) pgid, signal) == 0;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private String describe(int errno) {
        try {
            MemorySegment text = (MemorySegment) strerror.invokeExact(errno);
            return text.reinterpret(1024).getString(0);
        } catch (Throwable unknown) {
            return "error " + errno;
        }
    }
}
