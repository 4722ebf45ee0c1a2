package dev.octo.adapters.llm;

import static java.util.Objects.requireNonNull;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.agent.tool.ToolSpecifications;
import dev.langchain4j.service.tool.DefaultToolExecutor;
import dev.langchain4j.service.tool.ToolExecutor;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The tools of one run: their specifications for the model, and how to run each by name. */
final class Toolbox {

    private final Map<String, ToolSpecification> specifications;
    private final Map<String, ToolExecutor> executors;

    private Toolbox(Map<String, ToolSpecification> specifications, Map<String, ToolExecutor> executors) {
        this.specifications = specifications;
        this.executors = executors;
    }

    /** The {@code @Tool} methods of {@code objects}, in the order of the objects, then by name. */
    static Toolbox of(Object... objects) {
        Map<String, ToolSpecification> specifications = new LinkedHashMap<>();
        Map<String, ToolExecutor> executors = new LinkedHashMap<>();
        for (Object object : objects) {
            Method[] methods = object.getClass().getDeclaredMethods();
            Arrays.sort(methods, Comparator.comparing(Method::getName));
            for (Method method : methods) {
                if (method.isAnnotationPresent(Tool.class)) {
                    ToolSpecification specification = ToolSpecifications.toolSpecificationFrom(method);
                    specifications.put(specification.name(), specification);
                    executors.put(specification.name(), new DefaultToolExecutor(object, method));
                }
            }
        }
        return new Toolbox(specifications, executors);
    }

    /**
     * Only the tools named {@code allowed}, and {@code kept} whatever {@code allowed} says.
     *
     * @throws IllegalArgumentException naming the tools of {@code allowed} that are not here
     */
    Toolbox only(List<String> allowed, List<String> kept) {
        List<String> unknown = allowed.stream().filter(name -> !specifications.containsKey(name)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown tools " + String.join(", ", unknown) + "; the tools are "
                    + String.join(", ", names()));
        }
        Map<String, ToolSpecification> chosenSpecifications = new LinkedHashMap<>();
        Map<String, ToolExecutor> chosenExecutors = new LinkedHashMap<>();
        specifications.forEach((name, specification) -> {
            if (allowed.contains(name) || kept.contains(name)) {
                chosenSpecifications.put(name, specification);
                chosenExecutors.put(name, executors.get(name));
            }
        });
        return new Toolbox(chosenSpecifications, chosenExecutors);
    }

    List<ToolSpecification> specifications() {
        return List.copyOf(specifications.values());
    }

    List<String> names() {
        return List.copyOf(specifications.keySet());
    }

    Optional<ToolExecutor> executor(String name) {
        requireNonNull(name, "name is null");
        return Optional.ofNullable(executors.get(name));
    }
}
