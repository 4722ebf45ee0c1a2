package dev.octo.adapters.persistence.canary;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Not a canary: the library inside its own adapter, which its rule allows. */
public record PersistenceUsingJackson(ObjectMapper value) {
}
