package org.baid4j.data.download;

import org.baid4j.core.io.OutputFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What a download run did. */
public record DownloadSummary(int downloaded, int alreadyPresent, List<Failure> failed) {

    /** An image that could not be fetched, with the last reason. */
    public record Failure(String image, String url, String reason) {
    }

    public int total() {
        return downloaded + alreadyPresent + failed.size();
    }

    public String line() {
        return String.format("%d downloaded, %d already present, %d failed (of %d)", downloaded, alreadyPresent,
                failed.size(), total());
    }

    /** Writes failed.csv (image,url,reason), or removes an old one when nothing failed. */
    public void writeFailedCsv(Path file) throws IOException {
        if (failed.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        StringBuilder sb = new StringBuilder("image,url,reason\n");
        for (Failure f : failed) {
            sb.append(csv(f.image())).append(',').append(csv(f.url())).append(',').append(csv(f.reason())).append('\n');
        }
        OutputFile.writeString(file, sb);
    }

    private static String csv(String v) {
        return v.contains(",") || v.contains("\"") || v.contains("\n") ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }
}
