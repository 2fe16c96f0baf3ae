package org.baid4j.cli;

import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * notebooks/install as a user without Jupyter meets it, with apt-get, sudo, mvn and jupyter
 * standing in (they record what they were asked): it says before it runs apt-get, hands the
 * noninteractive frontend through sudo, and sizes the kernel's memory from this machine.
 */
class NotebookInstallTest {

    @Test
    void itSaysWhatItInstallsAndSizesTheKernelFromTheMachine(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("calls.log");
        Path data = Files.createDirectories(dir.resolve("jupyter-data"));
        // The tools a shell script needs, and nothing else of the machine: no Jupyter on this PATH.
        for (String tool : List.of("bash", "awk", "mkdir", "cat", "realpath", "sed", "dirname", "tail", "env", "touch")) {
            Path real = Path.of("/usr/bin", tool);
            Files.createSymbolicLink(bin.resolve(tool), Files.exists(real) ? real : Path.of("/bin", tool));
        }
        stub(bin, "id", "echo 1000");
        stub(bin, "sudo", "echo \"sudo $*\" >> " + calls + "; env -u DEBIAN_FRONTEND \"$@\"");   // as sudo: the environment dropped, VAR=value taken
        stub(bin, "apt-get", "echo \"apt-get $* DEBIAN_FRONTEND=${DEBIAN_FRONTEND:-unset}\" >> " + calls);
        stub(bin, "jupyter", "echo " + data);
        stub(bin, "mvn", "case \"$*\" in *help:evaluate*) echo " + dir.resolve("m2") + ";; *dependency:copy*) "
                + "for a in \"$@\"; do case $a in -DoutputDirectory=*) touch \"${a#-DoutputDirectory=}/rapaio-jupyter-kernel-3.0.1.jar\";; esac; done;; esac");
        Files.createDirectories(dir.resolve("m2"));

        ProcessBuilder pb = new ProcessBuilder(bin.resolve("bash").toString(),
                ReferencePython.REPO.resolve("notebooks").resolve("install").toString(), "--no-build")
                .redirectErrorStream(true);
        pb.environment().put("PATH", bin.toString());
        pb.environment().remove("DEBIAN_FRONTEND");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);

        assertTrue(out.startsWith("notebooks: installing Debian's Jupyter"), "said before apt-get runs: " + out);
        List<String> log = Files.readAllLines(calls);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("apt-get update") && l.endsWith("DEBIAN_FRONTEND=noninteractive")), log.toString());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("apt-get install") && l.endsWith("DEBIAN_FRONTEND=noninteractive")), log.toString());

        long memMb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).findFirst().orElseThrow();
        String kernel = Files.readString(data.resolve("kernels").resolve("baid4j-java").resolve("kernel.json"));
        assertTrue(kernel.contains("\"-Xmx" + Math.min(memMb / 4, 4096) + "m\""), kernel);
        assertTrue(kernel.contains("maxphysicalbytes=" + memMb * 3 / 4 + "m"), kernel);
    }

    private static void stub(Path bin, String name, String body) throws Exception {
        Path script = bin.resolve(name);
        Files.writeString(script, "#!" + bin.resolve("bash") + "\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
