package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who may use the bot: the owner always, and the users the owner authorized, kept in
 * {@code authorized_users.json} so that they stay authorized across restarts.
 */
final class AuthorizedUsers {

    /** A user the owner authorized. */
    record User(long id, String name, Instant since) {
        User {
            requireNonNull(name, "name is null");
            requireNonNull(since, "since is null");
        }
    }

    private final Path file;
    private final long ownerId;
    private final Map<Long, User> users = new LinkedHashMap<>();

    AuthorizedUsers(Path file, long ownerId) {
        this.file = requireNonNull(file, "file is null");
        this.ownerId = ownerId;
        StateFiles.read(file).ifPresent(this::load);
    }

    long ownerId() {
        return ownerId;
    }

    boolean isOwner(long userId) {
        return userId == ownerId;
    }

    synchronized boolean isAuthorized(long userId) {
        return userId == ownerId || users.containsKey(userId);
    }

    /** The authorized users, the owner not among them, in the order they were authorized. */
    synchronized List<User> users() {
        return List.copyOf(users.values());
    }

    /** The private chats the bot tells of tasks: the owner's and every authorized user's. */
    synchronized Set<Long> chats() {
        Set<Long> chats = new TreeSet<>(users.keySet());
        chats.add(ownerId);
        return chats;
    }

    /**
     * Authorizes {@code id}, or renames it when it already is.
     *
     * @return whether it was not authorized before
     */
    synchronized boolean authorize(long id, String name, Instant at) {
        User before = users.get(id);
        users.put(id, new User(id, name, before == null ? at : before.since()));
        save();
        return before == null;
    }

    /** @return whether {@code id} was authorized */
    synchronized boolean revoke(long id) {
        if (users.remove(id) == null) {
            return false;
        }
        save();
        return true;
    }

    private void load(Map<String, Object> document) {
        if (document.get("users") instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> user && user.get("id") instanceof Long id) {
                    String name = user.get("name") instanceof String text ? text : "";
                    Instant since = user.get("since") instanceof String text ? parse(text) : Instant.EPOCH;
                    users.put(id, new User(id, name, since));
                }
            }
        }
    }

    private static Instant parse(String text) {
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return Instant.EPOCH;
        }
    }

    private void save() {
        List<Object> list = new ArrayList<>();
        for (User user : users.values()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", user.id());
            entry.put("name", user.name());
            entry.put("since", user.since().toString());
            list.add(entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("users", list);
        try {
            StateFiles.write(file, document);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
