package org.baid4j.cli;

import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.*;

/** Every Java block of the README compiles against the library as it is, so that the examples cannot rot. */
class ReadmeExamplesTest {
    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS_NAME = Pattern.compile("public class (\\w+)");

    @Test
    void theReadmesJavaExamplesCompile(@TempDir Path dir) throws Exception {
        String readme = Files.readString(ReferencePython.REPO.resolve("README.md"));
        List<Path> sources = new ArrayList<>();
        Matcher block = JAVA_BLOCK.matcher(readme);
        while (block.find()) {
            Matcher name = CLASS_NAME.matcher(block.group(1));
            assertTrue(name.find(), "a README Java block is a whole class:\n" + block.group(1));
            Path source = dir.resolve(name.group(1) + ".java");
            Files.writeString(source, block.group(1));
            sources.add(source);
        }
        assertTrue(sources.size() >= 2, "the README's examples were found: " + sources);

        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, null, null)) {
            boolean ok = compiler.getTask(null, files, diagnostics,
                    List.of("-classpath", System.getProperty("java.class.path"), "-d", dir.toString(), "-Xlint:none"),
                    null, files.getJavaFileObjectsFromPaths(sources)).call();
            assertTrue(ok, "README examples fail to compile: " + diagnostics.getDiagnostics());
        }
        for (Path source : sources) {
            String cls = source.getFileName().toString().replace(".java", ".class");
            assertTrue(Files.exists(dir.resolve(cls)), cls);
        }
    }
}
