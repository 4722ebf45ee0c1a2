package dev.octo.application.fakes;

import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.SupervisorUnavailableException;

/** A supervisor chat as it is without an LLM: every message is answered with what to configure. */
public final class NoSupervisorChat implements SupervisorChat {

    public static final String REASON = "No LLM is configured in this test: set OCTO_LLM_PROVIDER.";

    @Override
    public String reply(String channel, String message) {
        throw new SupervisorUnavailableException(REASON);
    }
}
