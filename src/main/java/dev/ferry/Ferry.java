package dev.ferry;

import dev.ferry.cli.FerryCommand;

/** Entry point: with arguments, the command line; without, the desktop app (when available). */
public final class Ferry {
    private Ferry() {
    }

    public static void main(String[] args) {
        int code = FerryCommand.execute(args);
        System.out.flush();
        System.exit(code);
    }
}
