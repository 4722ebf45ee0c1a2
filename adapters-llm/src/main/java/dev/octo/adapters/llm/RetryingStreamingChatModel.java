package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.RetriableException;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A streaming model that tries again, a bounded number of times and further apart each time, when
 * the provider fails transiently (a dropped connection, 429, 5xx) before it sent anything. LangChain4j
 * retries its plain models itself ({@code maxRetries}) but not its streaming ones. Once a piece of the
 * answer has reached the handler, a failure is passed on as it is: the caller has shown that piece.
 */
final class RetryingStreamingChatModel implements StreamingChatModel {

    /** As LangChain4j's own retry: half a second, then 1.5 times longer each time, give or take a fifth. */
    private static final long FIRST_DELAY_MILLIS = 500;
    private static final double BACKOFF = 1.5;

    private final StreamingChatModel model;
    private final int maxRetries;

    RetryingStreamingChatModel(StreamingChatModel model, int maxRetries) {
        this.model = requireNonNull(model, "model is null");
        this.maxRetries = maxRetries;
    }

    @Override
    public void chat(ChatRequest request, StreamingChatResponseHandler handler) {
        attempt(0, attemptHandler -> model.chat(request, attemptHandler), handler);
    }

    @Override
    public void chat(ChatRequest request, ChatRequestOptions options, StreamingChatResponseHandler handler) {
        attempt(0, attemptHandler -> model.chat(request, options, attemptHandler), handler);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return model.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return model.listeners();
    }

    @Override
    public ModelProvider provider() {
        return model.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return model.supportedCapabilities();
    }

    private interface Call {
        void start(StreamingChatResponseHandler handler);
    }

    private void attempt(int retry, Call call, StreamingChatResponseHandler handler) {
        call.start(new Attempt(handler) {
            @Override
            void retryOrFail(Throwable error) {
                if (retry < maxRetries && isTransient(error)) {
                    long delay = Math.round(FIRST_DELAY_MILLIS * Math.pow(BACKOFF, retry)
                            * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
                    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> {
                        try {
                            attempt(retry + 1, call, handler);
                        } catch (RuntimeException e) {
                            handler.onError(e); // no caller is left on this thread to throw to
                        }
                    });
                } else {
                    handler.onError(error);
                }
            }
        });
    }

    static boolean isTransient(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof HttpTimeoutException) {
                return false; // it already waited the whole timeout: a retry would only wait again
            }
            if (cause instanceof RetriableException || cause instanceof IOException) {
                return true;
            }
            if (cause instanceof HttpException http) {
                int status = http.statusCode();
                return status == 408 || status == 429 || status >= 500;
            }
        }
        return false;
    }

    /** Passes everything on to the caller's handler, and remembers whether anything was. */
    private abstract static class Attempt implements StreamingChatResponseHandler {

        private final StreamingChatResponseHandler handler;
        private volatile boolean passedOn;

        Attempt(StreamingChatResponseHandler handler) {
            this.handler = handler;
        }

        abstract void retryOrFail(Throwable error);

        @Override
        public void onPartialResponse(String partialResponse) {
            passedOn = true;
            handler.onPartialResponse(partialResponse);
        }

        @Override
        public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
            passedOn = true;
            handler.onPartialResponse(partialResponse, context);
        }

        @Override
        public void onPartialThinking(PartialThinking partialThinking) {
            passedOn = true;
            handler.onPartialThinking(partialThinking);
        }

        @Override
        public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
            passedOn = true;
            handler.onPartialThinking(partialThinking, context);
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall) {
            passedOn = true;
            handler.onPartialToolCall(partialToolCall);
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
            passedOn = true;
            handler.onPartialToolCall(partialToolCall, context);
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall completeToolCall) {
            passedOn = true;
            handler.onCompleteToolCall(completeToolCall);
        }

        @Override
        public void onUnmappedRawEvent(Object rawEvent) {
            handler.onUnmappedRawEvent(rawEvent);
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            handler.onCompleteResponse(completeResponse);
        }

        @Override
        public void onError(Throwable error) {
            if (passedOn) {
                handler.onError(error);
            } else {
                retryOrFail(error);
            }
        }
    }
}
