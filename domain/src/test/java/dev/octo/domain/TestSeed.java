package dev.octo.domain;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * The seed of every randomized test, read here and nowhere else. Without {@code -Doctotest.seed=N}
 * it is fixed, so that a failure repeats; with it, a run draws other cases, and a failure found so
 * is replayed. A test that draws from it carries {@code @ExtendWith(TestSeed.class)}, which names
 * the seed in its failure.
 */
public final class TestSeed implements TestExecutionExceptionHandler {

    /** The system property that chooses the seed: a whole number, in decimal or as 0x hex. */
    public static final String PROPERTY = "octotest.seed";

    private static final long FIXED = 0x0c70_5eedL;

    /** The seed of this run. */
    public static long value() {
        String chosen = System.getProperty(PROPERTY);
        if (chosen == null || chosen.isBlank()) {
            return FIXED;
        }
        try {
            return Long.decode(chosen.strip());
        } catch (NumberFormatException e) {
            // a seed that silently fell back to the fixed one would replay the wrong run
            throw new IllegalArgumentException(PROPERTY + " is a whole number, not '" + chosen + "'", e);
        }
    }

    /** The seed and how to run with it again. */
    public static String replay() {
        long seed = value();
        return "seed " + seed + " (replay with -D" + PROPERTY + "=" + seed + ")";
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (failure instanceof TestAbortedException) {
            throw failure;
        }
        throw new AssertionError(replay() + ": " + failure.getMessage(), failure);
    }
}
