package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes renames in one directory durable by fsyncing the directory, sharing one fsync among the
 * threads that renamed while an earlier fsync was under way (group commit).
 *
 * <p>Every caller has renamed its file before it calls {@link #syncAfterRename()} and takes a
 * ticket. An fsync that starts after a ticket was taken covers that rename, so a caller returns as
 * soon as an fsync that started after its ticket has finished; if none has, it runs one itself.
 * A failed fsync covers nobody: each waiter then tries again on its own, and a failure reaches
 * every caller whose rename it left unsynced.
 */
final class DirectorySync {

    private final Path directory;
    // a ReentrantLock rather than synchronized: callers may be virtual threads
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition finished = lock.newCondition();
    private long ticketsTaken;
    private long ticketsSynced;
    private boolean syncing;

    DirectorySync(Path directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** Returns once an fsync of the directory that started after this call has succeeded. */
    void syncAfterRename() throws IOException {
        long ticket;
        long covers;
        lock.lock();
        try {
            ticket = ++ticketsTaken;
            while (true) {
                if (ticketsSynced >= ticket) {
                    return;
                }
                if (!syncing) {
                    syncing = true;
                    covers = ticketsTaken;
                    break;
                }
                finished.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
        boolean synced = false;
        try {
            fsync(directory);
            synced = true;
        } finally {
            lock.lock();
            try {
                syncing = false;
                if (synced) {
                    ticketsSynced = Math.max(ticketsSynced, covers);
                }
                finished.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** fsyncs {@code directory} itself, so that the entries created or renamed in it survive a crash. */
    static void fsync(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
