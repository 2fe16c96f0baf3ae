package org.baid4j.cli;

import org.baid4j.data.TinyBaid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The second reliability round's findings that need no training: each bad input refused before any
 * work with a line that names the option and the file or value, nothing written.
 */
class BadInputNamedTest {

    @Test
    void valuesThatTrainingCannotUseAreRefused(@TempDir Path dir) throws Exception {
        Path root = TinyBaid.withAllSplits(dir.resolve("baid"));
        Path out = dir.resolve("out");
        assertRefused("baid train: --lr takes a positive number, got Infinity", out,
                "train", "--root", root.toString(), "--out", out.toString(), "--random-backbones", "--lr", "Infinity");
        assertRefused("baid train: --lr takes a positive number, got NaN", out,
                "train", "--root", root.toString(), "--out", out.toString(), "--random-backbones", "--lr", "NaN");
        assertRefused("baid pretrain: --input-size takes a multiple of 32 (the network halves it five times), from 64 to 4096, got 32",
                out, "pretrain", "--root", root.toString(), "--out", out.toString(), "--input-size", "32");
        assertRefused("baid pretrain: --degradation-weight and --ranking-weight are both 0: nothing would be learned", out,
                "pretrain", "--root", root.toString(), "--out", out.toString(), "--input-size", "64",
                "--degradation-weight", "0", "--ranking-weight", "0");
        Path folder = Files.createDirectories(dir.resolve("weights"));
        assertRefused("baid train: --pretrained " + folder + ": a folder, not a checkpoint file", out,
                "train", "--root", root.toString(), "--out", out.toString(), "--pretrained", folder.toString(),
                "--random-backbones");
        Path pth = Files.writeString(dir.resolve("pretrain.pth"), "a checkpoint");
        assertRefused("baid train: --pretrained fills GAB and SAB's ResNet only: give --vgg (a file, or auto) for the"
                + " style encoder, or --random-backbones to leave the VGG random deliberately", out,
                "train", "--root", root.toString(), "--out", out.toString(), "--pretrained", pth.toString());
        assertRefused("baid search: --max-time 99999999999999999h is longer than this machine can count", out,
                "search", "--root", root.toString(), "--out", out.toString(), "--random-backbones", "--max-time",
                "99999999999999999h");
        assertRefused("baid search: --max-time takes a duration above 0 (leave it out for no limit), not '0'", out,
                "search", "--root", root.toString(), "--out", out.toString(), "--random-backbones", "--max-time", "0");
        Path afile = Files.writeString(dir.resolve("afile"), "mine");
        Cli.Run fetch = Cli.run("fetch-weights", "vgg19", "--to", afile.toString(), "--mirror", "http://127.0.0.1:9/");
        assertEquals(2, fetch.exit());
        assertTrue(fetch.err().startsWith("baid fetch-weights: --to " + afile + ": a file, not a folder to fetch into"), fetch.err());
        assertEquals("mine", Files.readString(afile));
    }

    /** baid --help lists each command with a whole sentence (the summaries were its descriptions' first lines, cut). */
    @Test
    void theCommandListSaysEachCommandInAWholeSentence() {
        Cli.Run help = Cli.run("--help");
        String list = help.out().substring(help.out().indexOf("Commands:"));
        java.util.Map<String, String> summaries = new java.util.LinkedHashMap<>();
        String command = null;
        for (String line : list.lines().skip(1).toList()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^  ([a-z-]+)\\s+(.*)$").matcher(line);
            if (m.matches()) {
                command = m.group(1);
                summaries.put(command, m.group(2).strip());
            } else if (command != null && !line.isBlank()) {
                summaries.merge(command, " " + line.strip(), String::concat);
            }
        }
        assertTrue(summaries.size() >= 13, summaries.toString());
        summaries.forEach((c, summary) -> assertTrue(summary.endsWith("."), c + ": '" + summary + "' is cut"));
    }

    private static void assertRefused(String expected, Path out, String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(2, r.exit(), String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().startsWith(expected), "expected: " + expected + "\nin: " + r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertTrue(r.err().lines().count() <= 2, r.err());
        assertFalse(Files.exists(out), "nothing written for " + String.join(" ", args));
    }
}
