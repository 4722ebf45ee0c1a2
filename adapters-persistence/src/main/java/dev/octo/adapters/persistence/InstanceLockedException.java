package dev.octo.adapters.persistence;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.OptionalLong;

/** Another running Octo holds the lock of the same state folder. */
public final class InstanceLockedException extends RuntimeException {

    private final Path lockFile;
    private final OptionalLong holderPid;

    InstanceLockedException(Path octoDir, Path lockFile, OptionalLong holderPid) {
        super(message(octoDir, lockFile, holderPid));
        this.lockFile = requireNonNull(lockFile, "lockFile is null");
        this.holderPid = requireNonNull(holderPid, "holderPid is null");
    }

    public Path lockFile() {
        return lockFile;
    }

    /** The pid of the live process that holds the lock, or empty when it has not written it (yet). */
    public OptionalLong holderPid() {
        return holderPid;
    }

    private static String message(Path octoDir, Path lockFile, OptionalLong holderPid) {
        if (holderPid.isEmpty()) {
            return "Another Octo is starting or stopping on " + octoDir + " (lock file " + lockFile
                    + ", where it has not written its pid yet); try again in a moment, or set OCTO_DIR to"
                    + " another folder";
        }
        return "Another Octo (pid " + holderPid.getAsLong() + ") is using " + octoDir + " (lock file " + lockFile
                + "); stop it first or set OCTO_DIR to another folder";
    }
}
