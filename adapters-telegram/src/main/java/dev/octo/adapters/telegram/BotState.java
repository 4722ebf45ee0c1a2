package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the bot must remember across restarts, in {@code state.json}: the last update it handled,
 * so that each is handled once, and which of its messages is about which task, so that a reply to a
 * notification still reaches its task after a restart. The routes are bounded: the oldest go first.
 */
final class BotState {

    private static final System.Logger LOG = System.getLogger(BotState.class.getName());

    /** What replying to a message about a task does. */
    enum About {
        /** The task is paused: the reply answers its question. */
        QUESTION,
        /** The task is finished: the reply starts a follow-up. */
        FINISHED
    }

    /** Where a reply to one message goes. */
    record Route(String taskId, About about) {
        Route {
            requireNonNull(taskId, "taskId is null");
            requireNonNull(about, "about is null");
        }
    }

    private final Path file;
    private final int maxRoutes;
    private long lastUpdateId;
    /** "chat:message" to route, oldest first. */
    private final LinkedHashMap<String, Route> routes = new LinkedHashMap<>();

    BotState(Path file, int maxRoutes) {
        this.file = requireNonNull(file, "file is null");
        if (maxRoutes < 1) {
            throw new IllegalArgumentException("maxRoutes is at least 1, not " + maxRoutes);
        }
        this.maxRoutes = maxRoutes;
        StateFiles.read(file).ifPresent(this::load);
    }

    /** The id of the last update handled; 0 before the first. */
    synchronized long lastUpdateId() {
        return lastUpdateId;
    }

    /** Records that update {@code id} was handled; a restart goes on after it. */
    synchronized void handled(long id) {
        if (id > lastUpdateId) {
            lastUpdateId = id;
            save();
        }
    }

    /** Remembers that message {@code messageId} of chat {@code chatId} is about {@code route}'s task. */
    synchronized void remember(long chatId, long messageId, Route route) {
        routes.put(chatId + ":" + messageId, requireNonNull(route, "route is null"));
        Iterator<String> oldest = routes.keySet().iterator();
        while (routes.size() > maxRoutes) {
            oldest.next();
            oldest.remove();
        }
        save();
    }

    synchronized Optional<Route> routeOf(long chatId, long messageId) {
        return Optional.ofNullable(routes.get(chatId + ":" + messageId));
    }

    synchronized int routeCount() {
        return routes.size();
    }

    private void load(Map<String, Object> document) {
        if (document.get("lastUpdateId") instanceof Long id) {
            lastUpdateId = id;
        }
        if (document.get("messages") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> message && message.get("chat") instanceof Long chat
                        && message.get("message") instanceof Long messageId
                        && message.get("task") instanceof String task
                        && message.get("about") instanceof String about) {
                    try {
                        routes.put(chat + ":" + messageId, new Route(task, About.valueOf(about)));
                    } catch (IllegalArgumentException unknown) {
                        LOG.log(System.Logger.Level.WARNING, "{0}: a message about {1} is skipped", file, about);
                    }
                }
            }
        }
    }

    private void save() {
        List<Object> messages = new ArrayList<>(routes.size());
        routes.forEach((key, route) -> {
            int colon = key.indexOf(':');
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("chat", Long.parseLong(key.substring(0, colon)));
            entry.put("message", Long.parseLong(key.substring(colon + 1)));
            entry.put("task", route.taskId());
            entry.put("about", route.about().name());
            messages.add(entry);
        });
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("lastUpdateId", lastUpdateId);
        document.put("messages", messages);
        try {
            StateFiles.write(file, document);
        } catch (IOException e) {
            // the bot goes on: at worst a restart handles an update again or loses a route
            LOG.log(System.Logger.Level.ERROR, "cannot write " + file, e);
        }
    }
}
