package dev.octo.bootstrap.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import java.util.regex.Pattern;

/**
 * Imports production classes only. {@link ImportOption.DoNotIncludeTests} drops test-class
 * directories, but a module's test-jar (the application's fakes) arrives as a jar and would slip
 * through, so test-jars are dropped too. The canaries live in this module's test classes and are
 * dropped with them.
 */
public final class ProductionClassesOnly implements ImportOption {

    private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!/.*");

    private final ImportOption doNotIncludeTests = new DoNotIncludeTests();

    @Override
    public boolean includes(Location location) {
        return doNotIncludeTests.includes(location) && !location.matches(TEST_JAR);
    }
}
