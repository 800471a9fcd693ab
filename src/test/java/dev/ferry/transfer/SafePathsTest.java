package dev.ferry.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SafePathsTest {
    private static final String[] HOSTILE = {"../../etc/passwd", "/abs/path", "a\\..\\..\\b", "C:\\x", "a\u0001b",
        "CON.txt", "aux", "trailing. ", "a//b", "./a", "..", "a/", "", ".", "/", "\\", "./", "../", "..\\..\\",
        "a/../../..", "....//....//x", "\u0000", "a/\u0000/b", "~/x", "${HOME}/x", "a/./b", "%2E%2E/x", ". ", " ",
        "NUL .txt", "com1.tar.gz", "x:ads", "..%2F..%2Fetc"};

    @TempDir
    Path root;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "../../etc/passwd | %2E%2E/%2E%2E/etc/passwd | %2E%2E/%2E%2E/etc/passwd",
        "/abs/path        | abs/path                 | abs/path",
        "a\\..\\..\\b     | a/%2E%2E/%2E%2E/b        | a/%2E%2E/%2E%2E/b",
        "C:\\x            | C:/x                     | C_/x",
        "CON.txt          | CON.txt                  | _CON.txt",
        "aux              | aux                      | _aux",
        "'trailing. '     | 'trailing. '             | trailing__",
        "a//b             | a/b                      | a/b",
        "./a              | a                        | a",
        "..               | %2E%2E                   | %2E%2E",
        "a/./b            | a/b                      | a/b",
        "a/b/..           | a/b/%2E%2E               | a/b/%2E%2E",
        "...              | ...                      | ___",
        "CON.             | CON.                     | CON_",
        "'NUL .txt'       | 'NUL .txt'               | '_NUL .txt'",
        "com1.tar.gz      | com1.tar.gz              | _com1.tar.gz",
        "COM10            | COM10                    | COM10",
        "LPT\u00B9        | LPT\u00B9                | _LPT\u00B9",
        "conin$           | conin$                   | _conin$",
        "notcon.txt       | notcon.txt               | notcon.txt",
        "'a<b>c:d\"e|f?g*h' | 'a<b>c:d\"e|f?g*h'     | a_b_c_d_e_f_g_h",
        "dir/ü 日本.txt    | dir/ü 日本.txt            | dir/ü 日本.txt",
    })
    void mapsKeysPredictably(String key, String posix, String windows) {
        assertThat(SafePaths.resolve(root, key, false)).isEqualTo(expected(posix));
        assertThat(SafePaths.resolve(root, key, true)).isEqualTo(expected(windows));
    }

    @Test
    void controlCharactersBecomeUnderscores() {
        for (boolean windows : new boolean[] {false, true}) {
            assertThat(SafePaths.resolve(root, "a\u0001b", windows)).isEqualTo(expected("a_b"));
            assertThat(SafePaths.resolve(root, "x\u0000y\ny\u007f", windows)).isEqualTo(expected("x_y_y_"));
            assertThat(SafePaths.resolve(root, "d\t/f\r", windows)).isEqualTo(expected("d_/f_"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/", "a\\", "/", "\\", ".", "./", "//", "./.", "a/b/", "../"})
    void keysThatNameNoFileGiveNull(String key) {
        assertThat(SafePaths.resolve(root, key, false)).isNull();
        assertThat(SafePaths.resolve(root, key, true)).isNull();
    }

    @Test
    void hostileKeysStayStrictlyUnderTheRoot() {
        for (String key : HOSTILE) {
            assertUnderRootOrNull(key);
        }
    }

    @Test
    void randomKeysStayStrictlyUnderTheRoot() {
        Random random = new Random(42);
        String alphabet = "./\\a:. \u0000\u0001~%2E<>|*?CONnul";
        for (int i = 0; i < 5000; i++) {
            StringBuilder key = new StringBuilder();
            int length = random.nextInt(12);
            for (int j = 0; j < length; j++) {
                key.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertUnderRootOrNull(key.toString());
        }
    }

    @Test
    void relativeRootIsMadeAbsolute() {
        Path p = SafePaths.resolve(Path.of("rel", "..", "dest"), "../x", false);

        assertThat(p).isEqualTo(Path.of("dest").toAbsolutePath().resolve("%2E%2E").resolve("x"));
    }

    @Test
    void platformDefaultMatchesTheHostRules() {
        boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");

        assertThat(SafePaths.resolve(root, "aux/CON.txt"))
                .isEqualTo(SafePaths.resolve(root, "aux/CON.txt", windows));
    }

    @Test
    void safeSegmentOfASingleName() {
        assertThat(SafePaths.safeSegment("..", false)).isEqualTo("%2E%2E");
        assertThat(SafePaths.safeSegment("..", true)).isEqualTo("%2E%2E");
        assertThat(SafePaths.safeSegment("Prn.log ", true)).isEqualTo("_Prn.log_");
        assertThat(SafePaths.safeSegment("report?.pdf", false)).isEqualTo("report?.pdf");
        assertThat(SafePaths.safeSegment("report?.pdf", true)).isEqualTo("report_.pdf");
    }

    @Test
    void safeSegmentIsAlwaysOneNameInsideItsFolder() {
        assertThat(SafePaths.safeSegment("", false)).isEqualTo("_");
        assertThat(SafePaths.safeSegment(".", false)).isEqualTo("%2E");
        assertThat(SafePaths.safeSegment("a/b", false)).isEqualTo("a_b");
        assertThat(SafePaths.safeSegment("..\\..\\evil", false)).isEqualTo(".._.._evil");
        assertThat(SafePaths.safeSegment("../x", true)).isEqualTo(".._x");
        Random random = new Random(7);
        String alphabet = "./\\a: \u0000C";
        for (int i = 0; i < 3000; i++) {
            StringBuilder raw = new StringBuilder();
            for (int j = random.nextInt(6); j > 0; j--) {
                raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            for (boolean windows : new boolean[] {false, true}) {
                Path p = root.resolve(SafePaths.safeSegment(raw.toString(), windows));
                assertThat(p.normalize().getParent()).as("raw %s", raw).isEqualTo(root);
            }
        }
    }

    private void assertUnderRootOrNull(String key) {
        for (boolean windows : new boolean[] {false, true}) {
            Path p = SafePaths.resolve(root, key, windows);
            if (p == null) {
                continue;
            }
            Path base = root.toAbsolutePath().normalize();
            assertThat(p.normalize()).as("key %s (windows rules %s)", key, windows).isEqualTo(p);
            assertThat(p).as("key %s (windows rules %s)", key, windows).startsWithRaw(base).isNotEqualTo(base);
            for (Path name : base.relativize(p)) {
                assertThat(name.toString()).as("key %s", key).isNotIn(".", "..", "");
            }
        }
    }

    private Path expected(String relative) {
        Path p = root.toAbsolutePath().normalize();
        for (String s : relative.split("/")) {
            p = p.resolve(s);
        }
        return p;
    }
}
