package dev.octo.adapters.telegram;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.telegram.telegrambots.client.okhttp.OkHttpTelegramClient;
import org.telegram.telegrambots.meta.TelegramUrl;
import org.telegram.telegrambots.meta.api.methods.botapimethods.BotApiMethod;
import org.telegram.telegrambots.meta.api.methods.send.SendDocument;
import org.telegram.telegrambots.meta.api.objects.message.Message;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiValidationException;

/**
 * The Bot API as the bot uses it: TelegramBots' OkHttp client, with every failure sorted into what
 * to do about it ({@link CallFailure.Kind}). Long polls go through a client of their own, whose read
 * timeout outlasts the poll and whose calls {@link #close()} can cut short.
 */
final class BotApi implements AutoCloseable {

    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient sendingHttp;
    private final OkHttpClient pollingHttp;
    private final OkHttpTelegramClient sending;
    private final OkHttpTelegramClient polling;

    BotApi(String token, Optional<URI> apiUrl, Duration pollTimeout) {
        requireNonNull(token, "token is null");
        TelegramUrl url = apiUrl.map(BotApi::telegramUrl).orElse(TelegramUrl.DEFAULT_URL);
        this.sendingHttp = new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(30, TimeUnit.SECONDS)
                .writeTimeout(5, TimeUnit.MINUTES) // a 50 MB log on a slow line
                .addInterceptor(BotApi::errorsAsApiResponses)
                .build();
        this.pollingHttp = sendingHttp.newBuilder()
                .dispatcher(new Dispatcher())
                .readTimeout(pollTimeout.plusSeconds(20).toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.sending = new OkHttpTelegramClient(sendingHttp, token, url);
        this.polling = new OkHttpTelegramClient(pollingHttp, token, url);
    }

    static TelegramUrl telegramUrl(URI uri) {
        String scheme = uri.getScheme() == null ? "https" : uri.getScheme();
        int port = uri.getPort() >= 0 ? uri.getPort() : "http".equals(scheme) ? 80 : 443;
        return new TelegramUrl(scheme, uri.getHost(), port, false);
    }

    <T extends Serializable> T call(BotApiMethod<T> method) throws CallFailure {
        try {
            return sending.execute(method);
        } catch (TelegramApiException e) {
            throw failure(method.getMethod(), e);
        }
    }

    Message call(SendDocument document) throws CallFailure {
        try {
            return sending.execute(document);
        } catch (TelegramApiException e) {
            throw failure(document.getMethod(), e);
        }
    }

    /** {@code method} through the polling client, whose read timeout outlasts a long poll. */
    <T extends Serializable> T poll(BotApiMethod<T> method) throws CallFailure {
        try {
            return polling.execute(method);
        } catch (TelegramApiException e) {
            throw failure(method.getMethod(), e);
        }
    }

    /** Cuts a long poll under way short, so that the thread waiting on it returns at once. */
    void closePolling() {
        pollingHttp.dispatcher().cancelAll();
    }

    /** Cuts every call under way short, so that a thread waiting on a long poll returns at once. */
    @Override
    public void close() {
        for (OkHttpClient http : new OkHttpClient[] {pollingHttp, sendingHttp}) {
            http.dispatcher().cancelAll();
            // its threads would keep the JVM alive for a minute
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    static CallFailure failure(String method, TelegramApiException e) {
        if (e instanceof TelegramApiValidationException) {
            // the client refused to send it at all: it would be refused every time
            return new CallFailure(CallFailure.Kind.REFUSED, method + ": " + e.getMessage(), Optional.empty(), e);
        }
        if (e instanceof TelegramApiRequestException request && request.getErrorCode() != null
                && request.getErrorCode() != 0) {
            int code = request.getErrorCode();
            String message = method + ": " + code + " " + request.getApiResponse();
            if (code == 401) {
                return new CallFailure(CallFailure.Kind.UNAUTHORIZED, message, Optional.empty(), e);
            }
            if (code == 429 || code >= 500) {
                Optional<Duration> after = Optional.ofNullable(request.getParameters())
                        .map(parameters -> parameters.getRetryAfter())
                        .map(Duration::ofSeconds);
                return new CallFailure(CallFailure.Kind.TRANSIENT, message, after, e);
            }
            return new CallFailure(CallFailure.Kind.REFUSED, message, Optional.empty(), e);
        }
        // no answer of the API: the connection was refused or timed out, or the answer was not JSON
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new CallFailure(CallFailure.Kind.TRANSIENT, method + ": " + cause, Optional.empty(), e);
    }

    /**
     * A proxy in front of the Bot API answers an error with a page rather than the API's JSON; the
     * client would call that "unable to deserialize" and lose the status. This gives it the API's
     * shape, so that a 401 or a 502 reads the same whoever answered.
     */
    private static Response errorsAsApiResponses(Interceptor.Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.isSuccessful()) {
            return response;
        }
        ResponseBody peek = response.peekBody(64 * 1024);
        String body = peek.string();
        if (body.stripLeading().startsWith("{")) {
            return response;
        }
        String description = response.message().replace("\\", "\\\\").replace("\"", "\\\"");
        String json = "{\"ok\":false,\"error_code\":" + response.code() + ",\"description\":\"" + description + "\"}";
        response.close();
        return response.newBuilder().body(ResponseBody.create(json, JSON)).build();
    }
}
