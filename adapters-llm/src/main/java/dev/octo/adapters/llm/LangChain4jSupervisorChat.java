package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ChatMessageDeserializer;
import dev.langchain4j.data.message.ChatMessageSerializer;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.invocation.InvocationContext;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.octo.application.port.in.CancelTaskUseCase;
import dev.octo.application.port.in.DispatchTaskUseCase;
import dev.octo.application.port.in.TaskQueries;
import dev.octo.application.port.in.TaskView;
import dev.octo.application.port.out.SupervisorChat;
import dev.octo.application.port.out.SupervisorConversationStore;
import dev.octo.application.port.out.SupervisorUnavailableException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The supervisor on a LangChain4j chat model: one conversation per channel, kept through a
 * {@link SupervisorConversationStore} with LangChain4j's message serializer and bounded to its last
 * messages, and a tool loop over {@link SupervisorTools}.
 *
 * <p>The loop is written out here rather than left to {@code AiServices}: the system prompt is made
 * anew for every request (the known agents may change), notes of finished tasks join the
 * conversations between answers, the rounds are bounded, a wrong call of the model (malformed JSON,
 * an unknown tool, a bad argument) becomes a tool error it can correct, and the streamed answer
 * stops when the calling thread is interrupted; each of these is a few lines here.
 *
 * <p>Each channel's exchanges run one at a time; different channels answer at once.
 */
public final class LangChain4jSupervisorChat implements SupervisorChat {

    private static final System.Logger LOG = System.getLogger(LangChain4jSupervisorChat.class.getName());
    private static final int MAX_OBJECTIVE_CHARS = 300;

    /**
     * How much of each conversation is kept and how long one answer may go on.
     *
     * @param maxMessages the messages kept of a conversation (a tool call and its result count as two)
     * @param maxRounds the model calls one answer may take; tools are run between two of them
     */
    public record Limits(int maxMessages, int maxRounds) {

        public static final Limits DEFAULT = new Limits(60, 8);

        public Limits {
            if (maxMessages < 2) {
                throw new IllegalArgumentException("maxMessages must be at least 2, not " + maxMessages);
            }
            if (maxRounds < 1) {
                throw new IllegalArgumentException("maxRounds must be at least 1, not " + maxRounds);
            }
        }
    }

    private final ChatModels models;
    private final SupervisorConversationStore store;
    private final Supplier<List<KnownAgent>> agents;
    private final Limits limits;
    private final List<ToolSpecification> toolSpecifications;
    private final Map<String, DefaultToolExecutor> toolExecutors = new LinkedHashMap<>();
    private final ConcurrentMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    /** Each channel's conversation as last saved; read from the store on the channel's first use. */
    private final ConcurrentMap<String, List<ChatMessage>> conversations = new ConcurrentHashMap<>();
    /** Notes of finished tasks not yet in a channel's conversation, because it was answering. */
    private final ConcurrentMap<String, Queue<String>> pendingNotes = new ConcurrentHashMap<>();
    // built on first use and kept: a client holds its HTTP connections, which later answers reuse
    private volatile ChatModel chatModel;
    private volatile StreamingChatModel streamingModel;

    /**
     * @param agents the agents the system prompt lists; asked for every answer
     * @param workingDirectory Octo's working directory, against which a relative {@code cwd} is read
     */
    public LangChain4jSupervisorChat(ChatModels models, SupervisorConversationStore store,
            DispatchTaskUseCase dispatch, TaskQueries queries, CancelTaskUseCase cancel,
            Supplier<List<KnownAgent>> agents, Path workingDirectory, Clock clock, Limits limits) {
        this.models = requireNonNull(models, "models is null");
        this.store = requireNonNull(store, "store is null");
        this.agents = requireNonNull(agents, "agents is null");
        this.limits = requireNonNull(limits, "limits is null");
        SupervisorTools tools = new SupervisorTools(dispatch, queries, cancel, workingDirectory, clock);
        this.toolSpecifications = ToolSpecifications.toolSpecificationsFrom(tools);
        for (Method method : SupervisorTools.class.getDeclaredMethods()) {
            Tool tool = method.getAnnotation(Tool.class);
            if (tool != null) {
                toolExecutors.put(tool.name(), new DefaultToolExecutor(tools, method));
            }
        }
    }

    @Override
    public String reply(String channel, String message) {
        return exchange(channel, message, Optional.empty());
    }

    @Override
    public String reply(String channel, String message, Consumer<String> partial) {
        return exchange(channel, message, Optional.of(requireNonNull(partial, "partial is null")));
    }

    /**
     * Adds a short note that task {@code taskId} completed (or failed) to every conversation the
     * supervisor has, so that its next answer on any channel can speak of it. Returns at once: a
     * channel that is answering gets the note when its answer is done.
     *
     * @param objective the task's command or prompt
     * @param resultOrError its result, or why it failed; its end is kept, up to 4,000 characters
     */
    public void taskFinished(String taskId, String objective, boolean failed, String resultOrError) {
        requireNonNull(taskId, "taskId is null");
        requireNonNull(objective, "objective is null");
        requireNonNull(resultOrError, "resultOrError is null");
        String note = SupervisorPrompt.NOTE_PREFIX + " Task " + taskId + (failed ? " failed." : " completed.")
                + "\nObjective: " + TaskView.abbreviate(objective, MAX_OBJECTIVE_CHARS)
                + (failed ? "\nError:\n" : "\nResult:\n")
                + (resultOrError.isBlank() ? "(none)" : SupervisorTools.cut(resultOrError.strip()));
        Set<String> channels = new LinkedHashSet<>(conversations.keySet());
        try {
            channels.addAll(store.channels());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not list the supervisor's conversations for a note of task " + taskId, e);
        }
        for (String channel : channels) {
            pendingNotes.computeIfAbsent(channel, c -> new ConcurrentLinkedQueue<>()).add(note);
            addPendingNotesIfIdle(channel);
        }
    }

    /**
     * Builds the model clients and loads what an answer needs (the clients, the serializer), so that
     * the first answer does not wait for it. For a background thread at start: it sends nothing to
     * the model, and a problem is left for the first answer to report.
     */
    public void prepare() {
        try {
            chatModel();
            streamingModel();
            ChatMessageSerializer.messagesToJson(ChatMessageDeserializer.messagesFromJson(
                    ChatMessageSerializer.messagesToJson(List.of(UserMessage.from("?"), AiMessage.from("!")))));
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Could not prepare the supervisor's models; the first answer will say why", e);
        }
    }

    private String exchange(String channel, String message, Optional<Consumer<String>> partial) {
        requireNonNull(channel, "channel is null");
        requireNonNull(message, "message is null");
        ReentrantLock lock = lockOf(channel);
        lock.lock();
        try {
            List<ChatMessage> conversation = new ArrayList<>(conversationOf(channel));
            takePendingNotes(channel, conversation);
            conversation.add(UserMessage.from(message));
            try {
                return answer(channel, conversation, partial);
            } finally {
                takePendingNotes(channel, conversation);
                save(channel, conversation);
            }
        } finally {
            lock.unlock();
            // a note that came after the last look found the lock taken: it is added now
            addPendingNotesIfIdle(channel);
        }
    }

    /** Runs the tool loop on {@code conversation}, adding to it what the model and the tools say. */
    private String answer(String channel, List<ChatMessage> conversation, Optional<Consumer<String>> partial) {
        StringBuilder answer = new StringBuilder();
        for (int round = 1; ; round++) {
            if (partial.isPresent() && Thread.currentThread().isInterrupted()) {
                return answer.toString(); // stopped between two rounds: the tools' results are kept
            }
            ChatRequest request = ChatRequest.builder()
                    .messages(withSystemPrompt(conversation))
                    .toolSpecifications(toolSpecifications)
                    .build();
            String separator = answer.isEmpty() ? "" : "\n\n";
            Streamed streamed = partial.isPresent()
                    ? stream(request, separator, partial.get())
                    : new Streamed(ask(request), false, "");
            if (streamed.stopped()) {
                if (!streamed.text().isBlank()) {
                    conversation.add(AiMessage.from(streamed.text()));
                    answer.append(separator).append(streamed.text());
                }
                return answer.toString();
            }
            AiMessage ai = streamed.message();
            conversation.add(ai);
            if (ai.text() != null && !ai.text().isBlank()) {
                answer.append(separator).append(ai.text());
            }
            if (!ai.hasToolExecutionRequests()) {
                return answer.toString();
            }
            boolean lastRound = round >= limits.maxRounds();
            for (ToolExecutionRequest call : ai.toolExecutionRequests()) {
                conversation.add(lastRound
                        ? toolError(call, "Not run: this answer has used its " + limits.maxRounds() + " rounds of tools.")
                        : execute(call, channel));
            }
            if (lastRound) {
                String stop = "(I stopped after " + limits.maxRounds() + " rounds of tool calls; ask again to go on.)";
                partial.ifPresent(p -> p.accept((answer.isEmpty() ? "" : "\n\n") + stop));
                answer.append(answer.isEmpty() ? "" : "\n\n").append(stop);
                conversation.add(AiMessage.from(stop));
                return answer.toString();
            }
        }
    }

    private AiMessage ask(ChatRequest request) {
        try {
            return chatModel().chat(request).aiMessage();
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    /** What one streamed model call gave: the whole message, or the text so far when it was stopped. */
    private record Streamed(AiMessage message, boolean stopped, String text) {
    }

    /**
     * Streams one model call, handing its text to {@code partial} ({@code separator} first) until it
     * ends or the calling thread is interrupted.
     */
    private Streamed stream(ChatRequest request, String separator, Consumer<String> partial) {
        StreamingChatModel model;
        try {
            model = streamingModel();
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        Object deliveryLock = new Object();
        boolean[] stopped = {false};
        StringBuilder text = new StringBuilder();
        try {
            model.chat(request, new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(PartialResponse response, PartialResponseContext context) {
                    synchronized (deliveryLock) {
                        if (stopped[0]) {
                            context.streamingHandle().cancel();
                            return;
                        }
                        String piece = response.text();
                        if (piece == null || piece.isEmpty()) {
                            return;
                        }
                        if (text.isEmpty() && !separator.isEmpty()) {
                            partial.accept(separator);
                        }
                        text.append(piece);
                        partial.accept(piece);
                    }
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        try {
            return new Streamed(done.get().aiMessage(), false, "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (deliveryLock) {
                stopped[0] = true; // no piece is handed on after this; the next one cancels the stream
                return new Streamed(null, true, text.toString());
            }
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        }
    }

    private ChatModel chatModel() {
        ChatModel model = chatModel;
        if (model == null) {
            model = models.chat(Optional.empty());
            chatModel = model;
        }
        return model;
    }

    private StreamingChatModel streamingModel() {
        StreamingChatModel model = streamingModel;
        if (model == null) {
            model = models.streaming(Optional.empty());
            streamingModel = model;
        }
        return model;
    }

    private SupervisorUnavailableException unavailable(Throwable e) {
        LOG.log(Level.WARNING, "The supervisor's model did not answer", e);
        return new SupervisorUnavailableException("The supervisor could not answer: "
                + TaskView.abbreviate(models.explain(e), 400), e);
    }

    private List<ChatMessage> withSystemPrompt(List<ChatMessage> conversation) {
        List<ChatMessage> messages = new ArrayList<>(conversation.size() + 1);
        messages.add(SystemMessage.from(SupervisorPrompt.text(agents.get())));
        messages.addAll(conversation);
        return messages;
    }

    /** Runs one tool call; whatever the model got wrong comes back to it as a tool error. */
    private ToolExecutionResultMessage execute(ToolExecutionRequest call, String channel) {
        DefaultToolExecutor executor = toolExecutors.get(call.name());
        if (executor == null) {
            return toolError(call, "There is no tool '" + call.name() + "'. The tools are: "
                    + String.join(", ", toolExecutors.keySet()) + ".");
        }
        try {
            ToolExecutionResult result = executor.executeWithContext(call,
                    InvocationContext.builder().chatMemoryId(channel).build());
            return ToolExecutionResultMessage.builder().id(call.id()).toolName(call.name())
                    .text(result.resultText()).isError(result.isError()).build();
        } catch (RuntimeException e) {
            // the arguments were not a JSON object, or an argument had the wrong type
            return toolError(call, "The arguments could not be read (" + TaskView.abbreviate(String.valueOf(
                    e.getMessage()), 300) + "). Send them as one JSON object with the parameters of " + call.name() + ".");
        }
    }

    private static ToolExecutionResultMessage toolError(ToolExecutionRequest call, String message) {
        return ToolExecutionResultMessage.builder().id(call.id()).toolName(call.name()).text(message).isError(true)
                .build();
    }

    private ReentrantLock lockOf(String channel) {
        return locks.computeIfAbsent(channel, c -> new ReentrantLock());
    }

    /** The channel's conversation; the caller holds the channel's lock. */
    private List<ChatMessage> conversationOf(String channel) {
        return conversations.computeIfAbsent(channel, this::load);
    }

    private List<ChatMessage> load(String channel) {
        Optional<String> saved = store.load(channel);
        if (saved.isEmpty()) {
            return List.of();
        }
        try {
            return List.copyOf(ChatMessageDeserializer.messagesFromJson(saved.get()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The supervisor's conversation with " + channel
                    + " could not be read; it starts anew", e);
            return List.of();
        }
    }

    /** Keeps and saves the last messages of {@code conversation}; the caller holds the channel's lock. */
    private void save(String channel, List<ChatMessage> conversation) {
        List<ChatMessage> kept = List.copyOf(ConversationWindow.last(conversation, limits.maxMessages()));
        conversations.put(channel, kept);
        try {
            store.save(channel, ChatMessageSerializer.messagesToJson(kept));
        } catch (RuntimeException e) {
            // the answer stands; the conversation is still kept in memory
            LOG.log(Level.WARNING, "Could not save the supervisor's conversation with " + channel, e);
        }
    }

    private void takePendingNotes(String channel, List<ChatMessage> conversation) {
        Queue<String> notes = pendingNotes.get(channel);
        if (notes == null) {
            return;
        }
        for (String note = notes.poll(); note != null; note = notes.poll()) {
            conversation.add(UserMessage.from(note));
        }
    }

    /** Adds the channel's pending notes and saves, unless the channel is answering (it adds them when done). */
    private void addPendingNotesIfIdle(String channel) {
        ReentrantLock lock = lockOf(channel);
        while (hasPendingNotes(channel) && lock.tryLock()) {
            try {
                List<ChatMessage> conversation = new ArrayList<>(conversationOf(channel));
                takePendingNotes(channel, conversation);
                save(channel, conversation);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not add a note to the supervisor's conversation with " + channel, e);
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private boolean hasPendingNotes(String channel) {
        Queue<String> notes = pendingNotes.get(channel);
        return notes != null && !notes.isEmpty();
    }
}
