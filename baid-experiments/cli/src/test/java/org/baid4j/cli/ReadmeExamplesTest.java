package org.baid4j.cli;

import org.baid4j.core.model.SaanConfig;
import org.baid4j.core.model.SaanModel;
import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The README and docs/ as a newcomer reads them: every Java block compiles against the library as
 * it is, the README's scoring block runs and prints what {@code baid score} prints, and every
 * relative link leads to a file of the repository.
 */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** README.md, docs/*.md and the other markdown files a reader follows links to. */
    static List<Path> pages() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(ReferencePython.REPO.resolve("README.md"),
                ReferencePython.REPO.resolve("notebooks").resolve("README.md")));
        try (Stream<Path> docs = Files.list(ReferencePython.REPO.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** A whole class as it is; a snippet becomes a class whose main holds it, its imports on top. */
    static String asClass(String block, String name) {
        if (CLASS_NAME.matcher(block).find()) {
            return block;
        }
        List<String> imports = block.lines().filter(l -> l.startsWith("import ")).toList();
        String body = block.lines().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
        return String.join("\n", imports) + "\npublic class " + name + " {\n    public static void main(String[] args) throws Exception {\n"
                + body + "\n    }\n}\n";
    }

    static Path compile(Path dir, List<Path> sources) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = compiler.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), "-Xlint:none"),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, "the docs' Java examples fail to compile: " + diagnostics.getDiagnostics());
        }
        return dir;
    }

    @Test
    void everyJavaBlockOfTheReadmeAndTheDocsCompiles(@TempDir Path dir) throws Exception {
        List<Path> sources = new ArrayList<>();
        for (Path page : pages()) {
            Matcher block = JAVA_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                String name = "Snippet" + sources.size();
                Matcher cls = CLASS_NAME.matcher(block.group(1));
                String className = cls.find() ? cls.group(1) : name;
                Path source = Files.createDirectories(dir.resolve("src").resolve("b" + sources.size())).resolve(className + ".java");
                Files.writeString(source, asClass(block.group(1), name));
                sources.add(source);
            }
        }
        assertTrue(sources.size() >= 7, "the docs' examples were found: " + sources);
        compile(Files.createDirectories(dir.resolve("classes")), sources);
    }

    /**
     * The README's five lines, compiled and run where a user runs them (a folder with the model and
     * the example images), print the score {@code baid score} prints for the same image and model.
     */
    @Test
    @Tag("process")
    void theReadmesScoringBlockRunsAndPrintsTheCommandsScore(@TempDir Path dir) throws Exception {
        Matcher block = JAVA_BLOCK.matcher(Files.readString(ReferencePython.REPO.resolve("README.md")));
        assertTrue(block.find(), "the README's first Java block");
        String snippet = block.group(1);
        assertTrue(snippet.contains("Aesthetics.load") && snippet.lines().filter(l -> !l.isBlank()).count() <= 6,
                "the README leads with scoring in a few lines:\n" + snippet);

        Path work = Files.createDirectories(dir.resolve("work"));
        Path images = Files.createDirectories(work.resolve("examples").resolve("images"));
        Files.copy(ReferencePython.REPO.resolve("examples/images/sunset-strokes.jpg"), images.resolve("sunset-strokes.jpg"));
        // a seeded SAAN under the README's file name (the loader reads the kind from the content)
        SaanModel.create(SaanConfig.reference().withInputSize(64)).save(work.resolve("model_best.pth").toFile(), false);

        Path source = Files.createDirectories(dir.resolve("src")).resolve("ReadmeScoring.java");
        Files.writeString(source, asClass(snippet, "ReadmeScoring"));
        Path classes = compile(Files.createDirectories(dir.resolve("classes")), List.of(source));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-cp", classes + java.io.File.pathSeparator + usersClasspath(), "ReadmeScoring")
                .directory(work.toFile()).redirectError(dir.resolve("err.log").toFile()).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("err.log")));

        Cli.Run cli = Cli.run("score", "--model", work.resolve("model_best.pth").toString(),
                images.resolve("sunset-strokes.jpg").toString());
        assertEquals(0, cli.exit(), cli.err());
        String cliScore = cli.csv().get(1).split(",")[1];
        assertEquals(cliScore, String.format(Locale.ROOT, "%.6f", Double.parseDouble(printed)),
                "the README's block prints " + printed + ", baid score " + cliScore);
    }

    /** This test's classpath as a user's project has it: no test classes, no test kits, no Logback (the CLI's). */
    private static String usersClasspath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar") && !e.contains("logback-"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    @Test
    void everyRelativeLinkLeadsToAFileOfTheRepository() throws Exception {
        List<String> dead = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            Matcher link = LINK.matcher(Files.readString(page));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue;   // web addresses, and anchors within the page
                }
                Path file = page.getParent().resolve(target.replaceAll("#.*", "")).normalize();
                checked++;
                if (!Files.exists(file) || !file.startsWith(ReferencePython.REPO)) {
                    dead.add(ReferencePython.REPO.relativize(page) + ": " + target);
                }
            }
        }
        assertTrue(checked > 20, "links were found: " + checked);
        assertEquals(List.of(), dead, "links to nothing, or out of the repository");
    }
}
