package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.octo.application.port.out.AgentRunner;
import dev.octo.application.port.out.CommandRunner;
import dev.octo.application.port.out.ConversationStore;
import dev.octo.application.port.out.StoreException;
import dev.octo.domain.AgentSpec;
import dev.octo.domain.Task;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs agent tasks with LangChain4j, in a loop written out here: call the model with the
 * conversation and the tools, run the tool calls it asks for, save the conversation, and again,
 * until the model calls {@code task_complete} or {@code escalate_question}, answers without a tool
 * call, or a limit is reached (its turns, its token budget).
 *
 * <p>The conversation is saved through the {@link ConversationStore} after every whole turn (the
 * model's message and the results of all its tool calls), with LangChain4j's message serializer; a
 * run after a pause or a restart goes on from it. A question's call is saved without its result:
 * the next run gives it the user's answer ({@link Task#answer()}) as that result.
 *
 * <p>A tool call the model gets wrong (an unknown tool, arguments that are not JSON or miss a value,
 * a path outside the working directory) is answered with an error it can read and correct; it never
 * ends the run. An interrupt (cancel, timeout, shutdown) abandons a call of the model in flight and
 * kills a command in progress; the turn it interrupted is not saved, and is taken again by the next
 * run.
 */
public final class LangChain4jAgentRunner implements AgentRunner {

    private static final System.Logger LOG = System.getLogger(LangChain4jAgentRunner.class.getName());
    static final String ANSWER_PREFIX = "The user answered: ";
    private static final int MAX_REASON_CHARS = 500;

    private final ChatModels models;
    private final ConversationStore conversations;
    private final AgentDefinitions agents;
    private final CommandRunner commands;
    private final Optional<Long> defaultMaxTokens;
    /** Model calls run here, so that an interrupted run can abandon one in flight. */
    private final ExecutorService calls = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("octo-agent-model-call").factory());

    /**
     * @param defaultMaxTokens the token budget of a task whose dispatch set none
     *     ({@code OCTO_AGENT_MAX_TOKENS}); empty for none
     */
    public LangChain4jAgentRunner(ChatModels models, ConversationStore conversations, AgentDefinitions agents,
            CommandRunner commands, Optional<Long> defaultMaxTokens) {
        this.models = requireNonNull(models, "models is null");
        this.conversations = requireNonNull(conversations, "conversations is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.commands = requireNonNull(commands, "commands is null");
        this.defaultMaxTokens = requireNonNull(defaultMaxTokens, "defaultMaxTokens is null");
    }

    @Override
    public Outcome run(Task task) {
        return run(task, Progress.NONE);
    }

    @Override
    public Outcome run(Task task, Progress progress) {
        requireNonNull(task, "task is null");
        requireNonNull(progress, "progress is null");
        if (!(task.spec() instanceof AgentSpec spec)) {
            return new Outcome.Failed("Task " + task.id() + " is not an agent task");
        }
        Optional<AgentDefinition> found = agents.find(spec.agentName());
        if (found.isEmpty()) {
            return new Outcome.Failed("Unknown agent '" + spec.agentName() + "'. Known agents: "
                    + String.join(", ", agents.agentNames()) + ".");
        }
        AgentDefinition agent = found.get();
        EndingTools endings = new EndingTools();
        Toolbox toolbox;
        try {
            toolbox = Toolbox.of(new AgentTools(new ConfinedDirectory(spec.workingDirectory()), commands), endings);
            if (agent.tools().isPresent()) {
                toolbox = toolbox.only(agent.tools().get(),
                        List.of(EndingTools.TASK_COMPLETE, EndingTools.ESCALATE_QUESTION));
            }
        } catch (ToolRefusal | IllegalArgumentException e) {
            return new Outcome.Failed("Agent " + agent.name() + " cannot run: " + e.getMessage());
        }
        try {
            ChatModel model = models.chat(agent.model());
            List<ChatMessage> conversation = conversationOf(task, spec, agent);
            return new Run(task, spec, model, toolbox, endings, conversation, progress).loop();
        } catch (InterruptedException e) {
            return new Outcome.Stopped();
        } catch (StoreException e) {
            if (Thread.currentThread().isInterrupted()) {
                return new Outcome.Stopped(); // the interrupt closed the file being written
            }
            return new Outcome.Failed("Could not save the agent's conversation: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "agent task " + task.id() + " failed", e);
            return new Outcome.Failed(AgentTools.abbreviate(models.explain(e), MAX_REASON_CHARS));
        }
    }

    /**
     * The saved conversation of {@code task}, its question answered when it has one pending, or a new
     * one: the system prompt, then the objective.
     */
    private List<ChatMessage> conversationOf(Task task, AgentSpec spec, AgentDefinition agent) {
        Optional<String> saved = conversations.load(task.id());
        if (saved.isEmpty()) {
            List<ChatMessage> fresh = new ArrayList<>();
            fresh.add(SystemMessage.from(systemPrompt(agent, spec)));
            fresh.add(UserMessage.from(spec.prompt()));
            return fresh;
        }
        List<ChatMessage> conversation = new ArrayList<>(ChatMessageDeserializer.messagesFromJson(saved.get()));
        if (answerPendingCalls(conversation, task.answer())) {
            conversations.save(task.id(), ChatMessageSerializer.messagesToJson(conversation));
        }
        return conversation;
    }

    /**
     * Gives every call of the model's last message that has no result yet one: the user's
     * {@code answer} to a question, or a note that the call never ran. Returns whether it added any.
     */
    static boolean answerPendingCalls(List<ChatMessage> conversation, Optional<String> answer) {
        int last = conversation.size() - 1;
        while (last >= 0 && !(conversation.get(last) instanceof AiMessage)) {
            last--;
        }
        if (last < 0 || !((AiMessage) conversation.get(last)).hasToolExecutionRequests()) {
            return false;
        }
        Set<String> answered = new HashSet<>();
        for (ChatMessage message : conversation.subList(last + 1, conversation.size())) {
            if (message instanceof ToolExecutionResultMessage result) {
                answered.add(result.id());
            }
        }
        boolean added = false;
        for (ToolExecutionRequest call : ((AiMessage) conversation.get(last)).toolExecutionRequests()) {
            if (answered.contains(call.id())) {
                continue;
            }
            String result = call.name().equals(EndingTools.ESCALATE_QUESTION)
                    ? answer.map(text -> ANSWER_PREFIX + text)
                            .orElse("The question got no answer. Go on without it, or ask again.")
                    : "Not run: the task was stopped before this call ran. Call it again if it is still needed.";
            conversation.add(ToolExecutionResultMessage.from(call, result));
            added = true;
        }
        return added;
    }

    /** The agent's own prompt, then the task's objective, then the rules of background work. */
    static String systemPrompt(AgentDefinition agent, AgentSpec spec) {
        return agent.systemPrompt() + "\n\n# Your objective\n\n" + spec.prompt() + "\n\n# How you work\n\n"
                + "You run as a background task, and nobody watches you work: go on by yourself until the "
                + "objective is reached. Your tools reach only your working directory, " + spec.workingDirectory()
                + "; give paths relative to it. When you are done, call task_complete with a summary of what you "
                + "did and found: it is all the user reads. Only when you cannot go on without the user (a "
                + "choice that is theirs, information you cannot find), call escalate_question: the task waits, "
                + "and the answer comes back as its result. You have at most " + spec.maxTurns() + " turns.";
    }

    /** One run of one task. */
    private final class Run {

        private final Task task;
        private final AgentSpec spec;
        private final ChatModel model;
        private final Toolbox toolbox;
        private final EndingTools endings;
        private final List<ChatMessage> conversation;
        private final Progress progress;
        private final Optional<Long> budget;
        private int turns;
        private long tokens;

        Run(Task task, AgentSpec spec, ChatModel model, Toolbox toolbox, EndingTools endings,
                List<ChatMessage> conversation, Progress progress) {
            this.task = task;
            this.spec = spec;
            this.model = model;
            this.toolbox = toolbox;
            this.endings = endings;
            this.conversation = conversation;
            this.progress = progress;
            this.budget = spec.maxTokens().or(() -> defaultMaxTokens);
            this.turns = task.usage().turns();
            this.tokens = task.usage().totalTokens();
        }

        Outcome loop() throws InterruptedException {
            while (true) {
                if (turns >= spec.maxTurns()) {
                    return new Outcome.Failed("max turns (" + spec.maxTurns() + ") exceeded");
                }
                if (budget.isPresent() && tokens >= budget.get()) {
                    return new Outcome.Failed("token budget (" + budget.get() + ") exceeded");
                }
                if (Thread.currentThread().isInterrupted()) {
                    return new Outcome.Stopped();
                }
                ChatResponse response = call(ChatRequest.builder()
                        .messages(conversation)
                        .toolSpecifications(toolbox.specifications())
                        .build());
                AiMessage answer = response.aiMessage();
                List<ChatMessage> turn = new ArrayList<>();
                turn.add(answer);
                for (ToolExecutionRequest call : answer.toolExecutionRequests()) {
                    if (endings.summary().isPresent()) {
                        break; // nothing runs after task_complete
                    }
                    String result = execute(call);
                    if (Thread.currentThread().isInterrupted()) {
                        return new Outcome.Stopped(); // the turn is not saved: the next run takes it again
                    }
                    if (call.name().equals(EndingTools.ESCALATE_QUESTION) && endings.question().isPresent()
                            && !result.startsWith("Error")) {
                        continue; // its result is the answer, which the next run adds
                    }
                    turn.add(ToolExecutionResultMessage.from(call, result));
                }
                conversation.addAll(turn);
                conversations.save(task.id(), ChatMessageSerializer.messagesToJson(conversation));
                TokenUsage usage = response.tokenUsage();
                long input = usage == null || usage.inputTokenCount() == null ? 0 : usage.inputTokenCount();
                long output = usage == null || usage.outputTokenCount() == null ? 0 : usage.outputTokenCount();
                turns++;
                tokens += input + output;
                progress.turnEnded(input, output);
                if (endings.summary().isPresent()) {
                    return new Outcome.Completed(endings.summary().get());
                }
                if (endings.question().isPresent()) {
                    return new Outcome.Escalated(endings.question().get());
                }
                if (!answer.hasToolExecutionRequests()) {
                    String text = answer.text() == null ? "" : answer.text().strip();
                    return new Outcome.Completed(text.isEmpty() ? "The agent ended without a summary." : text);
                }
                if (budget.isPresent() && tokens > budget.get()) {
                    return new Outcome.Failed("token budget (" + budget.get() + ") exceeded");
                }
            }
        }

        /** The model's answer; an interrupt abandons the call and throws. */
        private ChatResponse call(ChatRequest request) throws InterruptedException {
            Future<ChatResponse> future = calls.submit(() -> model.chat(request));
            try {
                return future.get();
            } catch (InterruptedException e) {
                future.cancel(true);
                throw e;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        /** What the tool {@code call} gives back; an error the model can correct when it went wrong. */
        private String execute(ToolExecutionRequest call) {
            Optional<dev.langchain4j.service.tool.ToolExecutor> executor = toolbox.executor(call.name());
            if (executor.isEmpty()) {
                return "Error: there is no tool '" + AgentTools.abbreviate(call.name(), 100) + "'. The tools are: "
                        + String.join(", ", toolbox.names()) + ".";
            }
            try {
                String result = executor.get().execute(call, task.id().value());
                return result == null ? "" : result;
            } catch (RuntimeException e) {
                return "Error: " + refusalIn(e).map(Throwable::getMessage).orElseGet(() -> reason(e));
            }
        }
    }

    private static Optional<ToolRefusal> refusalIn(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ToolRefusal refusal) {
                return Optional.of(refusal);
            }
        }
        return Optional.empty();
    }

    private static String reason(Throwable error) {
        String message = error.getMessage();
        String text = message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
        return AgentTools.abbreviate(text.strip(), MAX_REASON_CHARS);
    }
}
