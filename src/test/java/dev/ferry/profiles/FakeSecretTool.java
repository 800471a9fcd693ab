package dev.ferry.profiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A stand-in for libsecret's {@code secret-tool}: a shell script in a folder of its own that records
 * each call (argv, standard input, environment) in numbered files and keeps "keyring items" as one file
 * per profile id. Flag files switch it into failing ways: {@code fail} (every call says an error on
 * stderr, echoing its input there too, and exits 1), {@code hang} (sleeps a minute in a child process
 * whose pid it writes to {@code sleep-pid}), {@code locked}
 * (lookup and clear find nothing, though search still lists the item, as a locked keyring does),
 * {@code refuse-<id>} (storing that profile fails).
 */
final class FakeSecretTool {
    private static final String SCRIPT = """
            #!/bin/sh
            D='@DIR@'
            n=$(( $(cat "$D/count" 2>/dev/null || echo 0) + 1 ))
            echo "$n" > "$D/count"
            for a in "$@"; do printf '%s\\n' "$a"; done > "$D/argv-$n"
            env > "$D/env-$n"
            cat > "$D/stdin-$n"
            if [ -e "$D/hang" ]; then sleep 60 & echo "$!" > "$D/sleep-pid"; wait "$!"; exit 0; fi
            if [ -e "$D/fail" ]; then
              echo "secret-tool: Cannot create an item in a locked collection" >&2
              cat "$D/stdin-$n" >&2
              exit 1
            fi
            cmd=$1; shift
            profile=''
            while [ $# -gt 0 ]; do
              case "$1" in
                --*) shift ;;
                *) if [ "$1" = profile ]; then profile=$2; fi; shift 2 ;;
              esac
            done
            item="$D/items/$profile"
            case "$cmd" in
              store)
                if [ -e "$D/refuse-$profile" ]; then echo "secret-tool: No such secret collection" >&2; exit 1; fi
                cp "$D/stdin-$n" "$item" ;;
              lookup)
                if [ -e "$D/locked" ] || [ -z "$profile" ] || [ ! -f "$item" ]; then exit 1; fi
                cat "$item" ;;
              clear)
                if [ -e "$D/locked" ] || [ -z "$profile" ] || [ ! -f "$item" ]; then exit 1; fi
                rm "$item" ;;
              search)
                if [ -n "$profile" ] && [ -f "$item" ]; then echo "[/1]"; echo "label = Ferry: $profile"; fi ;;
              *) echo "usage: secret-tool ..." >&2; exit 2 ;;
            esac
            """;

    final Path dir;
    final Path command;

    FakeSecretTool(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("items"));
        command = dir.resolve("secret-tool");
        Files.writeString(command, SCRIPT.replace("@DIR@", dir.toString()));
        Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
    }

    /** Creates (or with {@code on} false, removes) a flag file. */
    FakeSecretTool flag(String name, boolean on) throws IOException {
        if (on) {
            Files.writeString(dir.resolve(name), "");
        } else {
            Files.deleteIfExists(dir.resolve(name));
        }
        return this;
    }

    /** The pid of the last hanging call's sleep. */
    long sleepPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("sleep-pid")).strip());
    }

    int calls() throws IOException {
        Path count = dir.resolve("count");
        return Files.exists(count) ? Integer.parseInt(Files.readString(count).strip()) : 0;
    }

    List<String> argv(int call) throws IOException {
        return Files.readAllLines(dir.resolve("argv-" + call));
    }

    String stdin(int call) throws IOException {
        return Files.readString(dir.resolve("stdin-" + call));
    }

    List<String> env(int call) throws IOException {
        return Files.readAllLines(dir.resolve("env-" + call));
    }

    /** Everything any call got as arguments, one per element. */
    List<String> allArguments() throws IOException {
        List<String> all = new ArrayList<>();
        for (int i = 1; i <= calls(); i++) {
            all.addAll(argv(i));
        }
        return all;
    }

    /** The ids of the profiles it holds items for. */
    List<String> items() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("items"))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    String item(String profileId) throws IOException {
        return new String(Files.readAllBytes(dir.resolve("items").resolve(profileId)), StandardCharsets.UTF_8);
    }

    void putItem(String profileId, String value) throws IOException {
        Files.writeString(dir.resolve("items").resolve(profileId), value);
    }
}
