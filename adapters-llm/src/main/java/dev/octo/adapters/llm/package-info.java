/** LangChain4j adapters will live here: the supervisor chat, the agent runner and the model providers. */
package dev.octo.adapters.llm;
