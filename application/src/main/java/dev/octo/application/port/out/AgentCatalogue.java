package dev.octo.application.port.out;

import java.util.List;

/** The agents an agent task may name: the ones defined for this Octo, and the default one. */
public interface AgentCatalogue {

    /**
     * The names of the known agents, sorted, {@link dev.octo.domain.AgentSpec#DEFAULT_AGENT} among
     * them; read anew at each call, so that an agent defined meanwhile is known.
     */
    List<String> agentNames();
}
