package org.baid4j.scoring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Expands the image arguments of a command: a file stays as given; a directory contributes its
 * image files (by extension, hidden files skipped, sorted by name), each as the directory joined
 * with the file name. Arguments that exist as neither, and links that dangle or loop, are kept, so
 * that the scorer reports them.
 */
public final class ImageInputs {
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "tif", "tiff", "webp");

    private ImageInputs() {
    }

    public static List<String> expand(List<String> arguments) throws IOException {
        List<String> out = new ArrayList<>();
        for (String arg : arguments) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.list(p)) {
                    files.filter(f -> Files.isRegularFile(f) || Files.isSymbolicLink(f) && !Files.isDirectory(f))
                            .map(f -> f.getFileName().toString())
                            .filter(ImageInputs::looksLikeImage)
                            .sorted()
                            .forEach(name -> out.add(p.resolve(name).toString()));
                }
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    static boolean looksLikeImage(String name) {
        int dot = name.lastIndexOf('.');
        return !name.startsWith(".") && dot > 0
                && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
