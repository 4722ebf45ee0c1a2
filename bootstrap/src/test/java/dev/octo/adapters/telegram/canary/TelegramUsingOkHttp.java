package dev.octo.adapters.telegram.canary;

import okhttp3.OkHttpClient;

/** Not a canary: the library inside its own adapter, which its rule allows. */
public record TelegramUsingOkHttp(OkHttpClient value) {
}
