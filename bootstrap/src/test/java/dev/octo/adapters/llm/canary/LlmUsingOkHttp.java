package dev.octo.adapters.llm.canary;

import okhttp3.OkHttpClient;

/** Canary: OkHttp outside the Telegram adapter. */
public record LlmUsingOkHttp(OkHttpClient value) {
}
