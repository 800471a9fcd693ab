package dev.ferry.profiles;

import java.util.List;
import java.util.stream.Collectors;

/** A profile was refused; {@link #problems()} says which fields are wrong and why. */
public final class InvalidProfileException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<Problem> problems;

    public InvalidProfileException(List<Problem> problems) {
        super(problems.stream().map(Problem::message).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
