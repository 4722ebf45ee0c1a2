package dev.octo.application.port.out;

import static java.util.Objects.requireNonNull;

/**
 * What a process task's command wrote to its two logs since an earlier {@link Position}, read a
 * piece at a time to follow the task as it runs.
 *
 * @param stdout what came on stdout
 * @param stderr what came on stderr
 * @param end where the logs end now: the position the next read goes on from
 */
public record OutputChunk(Part stdout, Part stderr, Position end) {

    public OutputChunk {
        requireNonNull(stdout, "stdout is null");
        requireNonNull(stderr, "stderr is null");
        requireNonNull(end, "end is null");
    }

    /** Nothing new: the logs still end at {@code end}. */
    public static OutputChunk nothingAt(Position end) {
        return new OutputChunk(Part.NONE, Part.NONE, end);
    }

    /**
     * The new text of one log.
     *
     * @param text whole characters only; a character still being written comes with the next read
     * @param skippedBytes how many bytes before {@code text} were left out because more came than was
     *     asked for at once
     */
    public record Part(String text, long skippedBytes) {

        public static final Part NONE = new Part("", 0);

        public Part {
            requireNonNull(text, "text is null");
            if (skippedBytes < 0) {
                throw new IllegalArgumentException("skipped bytes are not negative, not " + skippedBytes);
            }
        }
    }

    /** A place in the two logs: how many bytes of each were read. */
    public record Position(long stdout, long stderr) {

        /** The start of both logs. */
        public static final Position START = new Position(0, 0);

        public Position {
            if (stdout < 0 || stderr < 0) {
                throw new IllegalArgumentException("a log position is not negative, not " + stdout + "/" + stderr);
            }
        }
    }
}
