package dev.ferry.faults;

/**
 * How much longer a soak run (faults/soak.sh) makes the fault tests: {@code -Dferry.soak.rounds=N} multiplies
 * their loops (kills in a row, rounds of resets); 1, the default, is the suite as {@code mvn verify} runs it.
 */
final class Soak {
    private Soak() {
    }

    static int rounds() {
        return Math.max(1, Integer.getInteger("ferry.soak.rounds", 1));
    }
}
