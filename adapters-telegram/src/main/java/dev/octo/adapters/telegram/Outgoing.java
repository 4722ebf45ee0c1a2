package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import dev.octo.adapters.telegram.BotState.Route;
import dev.octo.adapters.telegram.TaskButton.Button;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Something the bot sends to a chat, as it waits in the chat's queue. */
sealed interface Outgoing {

    /**
     * A message in HTML; longer than Telegram allows, it goes as several.
     *
     * @param buttons under its last part
     * @param route where a reply to any of its parts goes, when it is about one task
     */
    record Text(String html, List<Button> buttons, Optional<Route> route) implements Outgoing {
        public Text {
            requireNonNull(html, "html is null");
            buttons = List.copyOf(buttons);
            requireNonNull(route, "route is null");
        }

        static Text of(String html) {
            return new Text(html, List.of(), Optional.empty());
        }

        /** {@code text} as it is, escaped. */
        static Text plain(String text) {
            return of(Html.escape(text));
        }
    }

    /**
     * A file: at most its last {@code maxBytes}, as it is when it is sent.
     *
     * @param name the file name the user sees
     * @param caption plain text under it
     */
    record Document(Path file, String name, String caption, long maxBytes) implements Outgoing {
        public Document {
            requireNonNull(file, "file is null");
            requireNonNull(name, "name is null");
            requireNonNull(caption, "caption is null");
        }
    }
}
