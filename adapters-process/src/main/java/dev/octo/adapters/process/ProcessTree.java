package dev.octo.adapters.process;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** A task's wrapper and everything it started, as something that can be signalled. */
sealed interface ProcessTree {

    /** Asks every process of the tree to stop (SIGTERM). Blocks briefly; call it off the caller's thread. */
    void term();

    /** Stops every process of the tree that is still there (SIGKILL). */
    void kill();

    /** Whether no process of the tree runs any more. */
    boolean isGone();

    /**
     * A process group of its own, made by the spawn or by {@code setsid}: signalling the group reaches
     * every process the command started, a grandchild that forked away from its parent included,
     * since it stays in the group unless it calls {@code setsid} itself. The group's id is its
     * {@code leader}'s pid. Signals go through {@code posix}'s {@code kill} when there is one, through
     * the shell's {@code kill} built-in otherwise.
     */
    record Group(ProcessHandle leader, Optional<PosixSpawn> posix) implements ProcessTree {

        /** How long a leader that runs may take to call {@code setsid} before it is signalled anyway. */
        private static final Duration FORMING_WAIT = Duration.ofSeconds(2);

        private static final System.Logger LOG = System.getLogger(LocalProcessRunner.class.getName());

        public Group {
            requireNonNull(leader, "leader is null");
            requireNonNull(posix, "posix is null");
        }

        long pgid() {
            return leader.pid();
        }

        @Override
        public void term() {
            signal("TERM", 15);
        }

        @Override
        public void kill() {
            signal("KILL", 9);
        }

        @Override
        public boolean isGone() {
            return !ProcessTable.groupHasMembers(pgid());
        }

        private void signal(String signal, int number) {
            awaitFormed();
            long pgid = pgid();
            // once the group is empty its id may be reused by an unrelated process group: leave it be
            if (!ProcessTable.groupHasMembers(pgid)) {
                return;
            }
            if (posix.isPresent()) {
                posix.get().signalGroup(pgid, number);
                return;
            }
            // the shell's kill built-in, so that no separate kill program needs to be installed
            ProcessBuilder builder = new ProcessBuilder(
                    "/bin/sh", "-c", "kill -s \"$1\" -- \"-$2\"", "octo-kill", signal, Long.toString(pgid))
                    .redirectInput(ProcessBuilder.Redirect.from(LocalProcessRunner.DEV_NULL))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            try {
                Process kill = builder.start();
                if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                    kill.destroyForcibly();
                    LOG.log(Level.WARNING, "kill -{0} of process group {1} did not finish", signal, pgid);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot send " + signal + " to process group " + pgid, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Waits the few milliseconds a leader just started through the {@code setsid} program may
         * still need to call {@code setsid()} (one spawned into its session needs none):
         * until then the group does not exist, and a signal sent to it would reach nothing while the
         * command goes on to start. Start does not wait, so that a task that is never stopped never
         * pays for it.
         */
        private void awaitFormed() {
            long deadline = System.nanoTime() + FORMING_WAIT.toNanos();
            while (ProcessTable.awaitsOwnGroup(leader)) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.log(Level.WARNING, "process {0} did not become a process group leader", pgid());
                    return;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * The wrapper and its descendants, for systems without {@code setsid}. Weaker than {@link Group}:
     * a grandchild that forked away from its parent is no longer a descendant and survives; the tree
     * shares Octo's process group, so a Ctrl-C in Octo's terminal reaches the command too.
     */
    final class Descendants implements ProcessTree {

        private final ProcessHandle root;
        private final Set<ProcessHandle> signalled = ConcurrentHashMap.newKeySet();

        Descendants(ProcessHandle root) {
            this.root = requireNonNull(root, "root is null");
        }

        @Override
        public void term() {
            List<ProcessHandle> tree = snapshot();
            signalled.addAll(tree);
            tree.forEach(ProcessHandle::destroy);
        }

        @Override
        public void kill() {
            // the processes seen at TERM too: one whose parent died since is no longer a descendant
            Set<ProcessHandle> tree = new HashSet<>(snapshot());
            tree.addAll(signalled);
            // a ProcessHandle remembers its process's start, so a pid reused meanwhile is not hit
            tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }

        @Override
        public boolean isGone() {
            return !ProcessTable.isRunning(root) && signalled.stream().noneMatch(ProcessTable::isRunning);
        }

        private List<ProcessHandle> snapshot() {
            List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
            tree.add(root);
            return tree;
        }
    }
}
