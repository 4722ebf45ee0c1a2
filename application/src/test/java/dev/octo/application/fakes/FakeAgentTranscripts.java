package dev.octo.application.fakes;

import dev.octo.application.port.out.AgentTranscripts;
import dev.octo.domain.TaskId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** {@link AgentTranscripts} a test sets by hand: none for a task it was not given one for. */
public final class FakeAgentTranscripts implements AgentTranscripts {

    private final Map<TaskId, List<Entry>> transcripts = new ConcurrentHashMap<>();

    public void put(TaskId id, List<Entry> transcript) {
        transcripts.put(id, List.copyOf(transcript));
    }

    @Override
    public List<Entry> transcript(TaskId id) {
        return transcripts.getOrDefault(id, List.of());
    }
}
