package org.baid4j.data.download;

import org.baid4j.data.baid.BaidLabels;

import java.net.Proxy;
import java.nio.file.Path;
import java.time.Duration;

/** A downloader in its own JVM, for the kill-and-resume test: args image_list.csv images_dir. */
public final class DownloadProcess {
    private DownloadProcess() {
    }

    public static void main(String[] args) throws Exception {
        DownloadOptions options = DownloadOptions.defaults().withThreads(2).withRetries(2)
                .withTimeout(Duration.ofSeconds(5)).withProxy(Proxy.NO_PROXY);
        DownloadSummary s = new BaidDownloader(options, new BaidDownloader.Listener() { })
                .download(BaidLabels.readImageList(Path.of(args[0])), Path.of(args[1]));
        System.out.println(s.line());
    }
}
