package dev.octo.application.service;

import static java.util.Objects.requireNonNull;

import dev.octo.application.port.in.TaskNotice;
import dev.octo.application.port.out.Notifier;
import dev.octo.domain.TaskEvent;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Hands every task event (and every problem of Octo itself) to every notifier, on one thread of its
 * own so that a slow channel (a Telegram call) never holds up a task, and in the order they happened. A notifier that
 * throws is logged and the others still hear of the event.
 */
final class NotificationDispatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NotificationDispatcher.class.getName());

    private final List<Notifier> notifiers = new CopyOnWriteArrayList<>();
    private final ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
        Thread t = new Thread(runnable, "octo-notifications");
        t.setDaemon(true);
        return t;
    });

    void register(Notifier notifier) {
        notifiers.add(requireNonNull(notifier, "notifier is null"));
    }

    void publish(TaskEvent event) {
        requireNonNull(event, "event is null");
        try {
            thread.execute(() -> deliver(event));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.log(Level.DEBUG, "event after shutdown not delivered: {0}", event);
        }
    }

    /** Hands {@code message}, a problem of Octo itself, to every notifier, in order with the events. */
    void publishProblem(String message) {
        requireNonNull(message, "message is null");
        try {
            thread.execute(() -> deliverProblem(message));
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            LOG.log(Level.DEBUG, "problem after shutdown not delivered: {0}", message);
        }
    }

    private void deliverProblem(String message) {
        for (Notifier notifier : notifiers) {
            try {
                notifier.notifyProblem(message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "notifier " + notifier.getClass().getSimpleName() + " failed on a problem", e);
            }
        }
    }

    private void deliver(TaskEvent event) {
        TaskNotice notice = TaskNotice.of(event);
        for (Notifier notifier : notifiers) {
            try {
                notifier.notify(notice);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "notifier " + notifier.getClass().getSimpleName()
                        + " failed on " + event.getClass().getSimpleName() + " of task " + event.taskId(), e);
            }
        }
    }

    /**
     * Waits until every event published so far was handed to every notifier, or {@code limit} has
     * passed, or the dispatcher is closed.
     *
     * @return whether all of them were delivered
     */
    boolean flush(Duration limit) {
        CountDownLatch reached = new CountDownLatch(1);
        try {
            // one thread delivers in order: once it comes to this, all before it were delivered
            thread.execute(reached::countDown);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return false;
        }
        try {
            return reached.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Delivers what is queued (for at most a few seconds), then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
