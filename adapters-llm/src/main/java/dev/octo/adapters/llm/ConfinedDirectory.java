package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A task's working directory, the only place its agent's tools may reach. A path the model gives is
 * taken relative to it; one that leads outside, through {@code ..}, an absolute path or a symbolic
 * link anywhere on the way, is refused with a {@link ToolRefusal} that the model reads.
 */
final class ConfinedDirectory {

    private final Path root;

    /** @throws ToolRefusal when {@code directory} does not exist */
    ConfinedDirectory(Path directory) {
        requireNonNull(directory, "directory is null");
        try {
            this.root = directory.toRealPath();
        } catch (IOException e) {
            throw new ToolRefusal("the task's working directory " + directory + " cannot be opened: " + e.getMessage());
        }
    }

    Path root() {
        return root;
    }

    /**
     * {@code given} inside the directory, with every link on its way resolved; a path that does not
     * exist yet is checked up to the part of it that exists.
     *
     * @throws ToolRefusal when it leads outside the directory
     */
    Path resolve(String given) {
        requireNonNull(given, "given is null");
        Path asked;
        try {
            asked = root.resolve(given.isBlank() ? "." : given.strip()).normalize();
        } catch (InvalidPathException e) {
            throw new ToolRefusal("'" + given + "' is not a path: " + e.getMessage());
        }
        if (!asked.startsWith(root)) {
            throw outside(given);
        }
        // the deepest part that exists, with its links resolved, must still be inside
        Path existing = asked;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw outside(given);
        }
        try {
            Path real = existing.toRealPath();
            if (!real.startsWith(root)) {
                throw outside(given);
            }
            return real.resolve(existing.relativize(asked));
        } catch (IOException e) {
            // a dangling link: where it points is unknown, so it may point outside
            throw new ToolRefusal("'" + given + "' cannot be resolved: " + e.getMessage());
        }
    }

    /** {@code path} as the model should read it: relative to the directory. */
    String show(Path path) {
        Path relative = root.relativize(path);
        return relative.toString().isEmpty() ? "." : relative.toString();
    }

    private static ToolRefusal outside(String given) {
        return new ToolRefusal("'" + given + "' is outside the task's working directory; every path must stay"
                + " inside it (no '..' out of it, no absolute path elsewhere, no symbolic link that leads out)");
    }
}
