package dev.octo.adapters.llm.canary;

import dev.langchain4j.model.chat.ChatModel;

/** Not a canary: the library inside its own adapter, which its rule allows. */
public record LlmUsingLangChain4j(ChatModel value) {
}
