package org.baid4j.weights;

import org.baid4j.testkit.ReferencePython;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** A checkpoint with NaN or infinite weights is refused at import, naming the key. */
@Tag("parity")
class UntrustedCheckpointsTest {

    @Test
    void nonFiniteWeightsAreRefusedNamingTheKey(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("poison.py"), """
                import sys, torch
                d = torch.load(sys.argv[1])
                sd = d["state_dict"]
                key = sorted(k for k, v in sd.items() if v.is_floating_point() and v.numel() > 3)[0]
                sd[key].view(-1)[3] = float(sys.argv[3])
                torch.save(d, sys.argv[2])
                print(key)
                """);
        for (String bad : new String[]{"nan", "inf"}) {
            Path poisoned = dir.resolve(bad + ".pt");
            String key = ReferencePython.runWith("torch", script, TorchCheckpointTest.fixture("nonlocal.pt").toString(),
                    poisoned.toString(), bad).trim();
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class,
                    () -> WeightsImporter.load(WeightsImporterTest.nonLocalGraph(8), poisoned, CheckpointLayout.SAAN));
            assertEquals(poisoned + ": key '" + key + "' holds NaN or infinite values: a damaged or diverged checkpoint,"
                    + " refused", e.getMessage());
        }
        WeightsImporter.load(WeightsImporterTest.nonLocalGraph(8), TorchCheckpointTest.fixture("nonlocal.pt"),
                CheckpointLayout.SAAN);   // the clean file loads
    }
}
