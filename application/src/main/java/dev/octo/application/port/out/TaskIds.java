package dev.octo.application.port.out;

import dev.octo.domain.TaskId;

/** Gives out ids for new tasks. */
public interface TaskIds {

    /** An id no stored task has. */
    TaskId next();
}
