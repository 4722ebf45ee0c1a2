package dev.octo.adapters.cli.socket;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * One attached client's side of the server: what is sent to it waits in a bounded queue that a
 * writer thread of its own drains, so that a client that reads slowly, or not at all, holds up no
 * one. Answers to the client's own requests wait for room (at most half the queue), which slows
 * only that client's requests; events never wait: when they find the queue full the client is
 * dropped, as a client that lost events could not trust what it shows.
 */
final class Connection {

    private static final Logger LOG = System.getLogger(Connection.class.getName());
    /** A line to write; an answer gives its room back once written. */
    private record Outgoing(String line, boolean answer) {
    }

    /** Ends the queue: the writer closes the connection when it gets there. */
    private static final Outgoing END = new Outgoing("", false);

    private final LineChannel lines;
    private final BlockingQueue<Outgoing> queue;
    /** Room for answers in the queue, so that answers alone never fill it and events still fit. */
    private final Semaphore answerRoom;
    /** The thread that reads the client's requests, interrupted when the client is gone. */
    private final Thread reader;
    private volatile boolean open = true;
    private Thread writer;

    Connection(LineChannel lines, int capacity) {
        this.lines = requireNonNull(lines, "lines is null");
        this.queue = new ArrayBlockingQueue<>(capacity + 1);
        this.answerRoom = new Semaphore(Math.max(1, capacity / 2));
        this.reader = Thread.currentThread();
    }

    void start() {
        writer = Thread.ofVirtual().name(reader.getName() + "-writer").start(this::write);
    }

    boolean open() {
        return open;
    }

    /** Queues {@code message}; drops the client when its queue is full. */
    void send(String message) {
        if (open) {
            offer(new Outgoing(message, false));
        }
    }

    private void offer(Outgoing message) {
        // one place stays free for END
        if (queue.remainingCapacity() <= 1 || !queue.offer(message)) {
            LOG.log(Level.WARNING, "Dropped a client that does not read what it is sent ("
                    + queue.size() + " messages waiting)");
            abort();
        }
    }

    /**
     * Queues an answer to the client's own request, waiting while answers fill their half of the
     * queue: a client that sends faster than it reads is slowed, not dropped.
     */
    void answer(String message) {
        if (!open) {
            return;
        }
        try {
            answerRoom.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        offer(new Outgoing(message, true));
    }

    /** Queues {@code message} as the last one: the connection closes once it is written. */
    void sendLast(String message) {
        send(message);
        close();
    }

    /** Closes once what is queued is written. */
    void close() {
        if (open) {
            open = false;
            if (!queue.offer(END)) {
                abort();
            }
        }
    }

    /** Closes at once, dropping what is queued, and stops a request the client no longer waits for. */
    void abort() {
        open = false;
        queue.clear();
        try {
            lines.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Closing a client: " + e);
        }
        if (Thread.currentThread() != reader) {
            reader.interrupt();
        }
        if (writer != null && Thread.currentThread() != writer) {
            writer.interrupt();
        }
    }

    private void write() {
        try {
            while (true) {
                Outgoing message = queue.take();
                if (message == END) {
                    lines.close();
                    return;
                }
                lines.write(message.line());
                if (message.answer()) {
                    answerRoom.release();
                }
            }
        } catch (InterruptedException e) {
            // aborted
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "A client left: " + e);
            abort();
        }
    }
}
