package dev.octo.adapters.persistence;

/** A file parsed, but what it holds is not a valid task or conversation; the message says why. */
final class InvalidDocumentException extends Exception {

    InvalidDocumentException(String reason) {
        super(reason);
    }

    InvalidDocumentException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
