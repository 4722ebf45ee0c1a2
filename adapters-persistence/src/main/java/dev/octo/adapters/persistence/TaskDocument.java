package dev.octo.adapters.persistence;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.Map;

/**
 * A task as it is written to {@code <id>.json}: plain, nullable values only, so the file reads
 * without Octo and an older or newer Octo can tell what it holds. Instants are ISO-8601 text,
 * statuses and kinds lower-case names. {@link TaskDocumentMapper} checks it. A field that a later
 * version added ({@code agentUsage}, {@code spec.maxTokens}) may be absent from a file an earlier one
 * wrote: it reads as none.
 */
record TaskDocument(
        Integer schemaVersion,
        String id,
        String status,
        SpecDocument spec,
        String createdAt,
        String startedAt,
        String finishedAt,
        String updatedAt,
        String result,
        String error,
        String question,
        String answer,
        Integer escalations,
        Integer attempt,
        String parentId,
        Long processPid,
        String processStart,
        AgentUsageDocument agentUsage) {

    static final int SCHEMA_VERSION = 1;

    /**
     * What the task runs; {@code kind} ({@code process} or {@code agent}) says which other fields
     * apply. Timeouts are seconds, with a fraction when they have one; both null means none.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SpecDocument(
            String kind,
            String command,
            String prompt,
            String agentName,
            String workingDirectory,
            Map<String, String> environment,
            Integer maxTurns,
            BigDecimal timeoutRequestedSeconds,
            BigDecimal timeoutAppliedSeconds,
            Long maxTokens) {
    }

    /**
     * What an agent task used: its turns, the tokens its provider reported, and its running time in
     * seconds (the time it spent RUNNING, pauses not counted).
     */
    record AgentUsageDocument(Integer turns, Long inputTokens, Long outputTokens, BigDecimal runningTimeSeconds) {
    }
}
