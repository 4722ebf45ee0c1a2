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

    /** The pid the holder wrote into the lock file, or empty when it could not be read. */
    public OptionalLong holderPid() {
        return holderPid;
    }

    private static String message(Path octoDir, Path lockFile, OptionalLong holderPid) {
        String who = holderPid.isPresent() ? "Another Octo (pid " + holderPid.getAsLong() + ")" : "Another Octo";
        return who + " is using " + octoDir + " (lock file " + lockFile
                + "); stop it first or set OCTO_DIR to another folder";
    }
}
