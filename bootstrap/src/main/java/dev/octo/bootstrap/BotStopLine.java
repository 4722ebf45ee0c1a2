package dev.octo.bootstrap;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the bot's one line goes when it stops on its own (Telegram refused its token): the
 * terminal, or the daemon's stderr. The bot is built before either is set up, so a line told
 * before {@link #sendTo} waits for it.
 */
final class BotStopLine implements Consumer<String> {

    private final List<String> waiting = new ArrayList<>();
    private Consumer<String> target;

    synchronized void sendTo(Consumer<String> target) {
        this.target = requireNonNull(target, "target is null");
        waiting.forEach(target);
        waiting.clear();
    }

    @Override
    public synchronized void accept(String line) {
        if (target == null) {
            waiting.add(line);
        } else {
            target.accept(line);
        }
    }
}
