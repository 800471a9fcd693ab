package dev.ferry.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "ferry", mixinStandardHelpOptions = true, versionProvider = FerryCommand.Version.class,
        description = "Ferry: parallel, resumable transfers for Amazon S3, S3-compatible storage, Volcengine TOS "
                + "and plain HTTP(S) links.",
        footer = {"", "Credentials for s3://: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or a "
                + "profile in ~/.aws/credentials (--profile, AWS_PROFILE).",
                "Credentials for tos://: TOS_ACCESS_KEY, TOS_SECRET_KEY and TOS_SECURITY_TOKEN; the endpoint from "
                        + "--endpoint or TOS_ENDPOINT, or the region's public one from --region or TOS_REGION.",
                "Data folder: FERRY_HOME."})
public final class FerryCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The subcommands, in the order help lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("download", DownloadCommand::new);
        COMMANDS.put("copy", CopyCommand::new);
        COMMANDS.put("ls", LsCommand::new);
        COMMANDS.put("status", StatusCommand::new);
    }

    /**
     * Runs the command line and returns the exit code. Only the subcommand being run is built (picocli
     * reflects over every command it is given, which a short transfer would otherwise pay for at start).
     */
    public static int execute(String... args) {
        Supplier<Object> chosen = args.length > 0 ? COMMANDS.get(args[0]) : null;
        if (chosen != null) {
            Warmup.platformInBackground();
        }
        CommandLine cl = new CommandLine(new FerryCommand());
        if (chosen != null) {
            cl.addSubcommand(args[0], chosen.get());
        } else {
            COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            if (ex instanceof UsageException) {
                err.println(Printable.text("ferry: error: " + ex.getMessage()));
                err.flush();
                return 2;
            }
            err.println(Printable.text("ferry: error: "
                    + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage())));
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println(Printable.text("ferry: error: " + ex.getMessage()));
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
