package dev.octo.application.canary;

import okhttp3.OkHttpClient;

/** Canary: OkHttp in the application. */
public record ApplicationUsingOkHttp(OkHttpClient value) {
}
