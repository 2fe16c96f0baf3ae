package org.baid4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Progress of a long step on stderr: a bar with rate and ETA when a person watches a terminal,
 * otherwise a log line every tenth of the way (CI logs, redirected output).
 */
final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private final ProgressBar bar;
    private final String task;
    private final long total;
    private long done;
    private long lastLogged;
    private String lastMessage = "";

    private Progress(String task, long total, long initial) {
        this.task = task;
        this.total = total;
        this.done = initial;
        this.bar = System.console() == null ? null : new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .showSpeed().startsFrom(initial, java.time.Duration.ZERO).build();
    }

    static Progress start(String task, long total) {
        return new Progress(task, total, 0);
    }

    static Progress start(String task, long total, long initial) {
        return new Progress(task, total, initial);
    }

    synchronized void step() {
        done++;
        if (bar != null) {
            bar.step();
        } else if (total > 0 && (done - lastLogged) * 10 >= total) {
            lastLogged = done;
            LOG.info("{}: {} of {} ({}%) {}", task, done, total, done * 100 / total, lastMessage);
        }
    }

    /** Text shown beside the bar (the running loss, say); logged with the periodic lines otherwise. */
    synchronized void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(" " + text);
        } else {
            lastMessage = text;
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
