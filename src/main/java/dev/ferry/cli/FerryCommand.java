package dev.ferry.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryCommand.Version.class,
        description = "Ferry: parallel, resumable transfers for S3-compatible storage.",
        subcommands = {DownloadCommand.class, CopyCommand.class, LsCommand.class, StatusCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or a profile in "
                + "~/.aws/credentials (--profile, AWS_PROFILE).", "Data folder: FERRY_HOME."})
public final class FerryCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and returns the exit code. */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new FerryCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof UsageException) {
                err.println("ferry: error: " + ex.getMessage());
                err.flush();
                return 2;
            }
            err.println("ferry: error: " + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage()));
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("ferry: error: " + ex.getMessage());
            err.println("Try 'ferry " + (ex.getCommandLine().getCommandName().equals("ferry") ? ""
                    : ex.getCommandLine().getCommandName() + " ") + "--help'.");
            err.flush();
            return 2;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FerryCommand.class.getPackage().getImplementationVersion();
            return new String[]{"ferry " + (v == null ? "development build" : v)};
        }
    }
}
