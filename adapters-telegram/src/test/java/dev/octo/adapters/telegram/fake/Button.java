package dev.octo.adapters.telegram.fake;

import static java.util.Objects.requireNonNull;

/** One inline keyboard button the bot sent: its label and the data a press sends back. */
public record Button(String text, String callbackData) {

    public Button {
        requireNonNull(text, "text is null");
    }
}
