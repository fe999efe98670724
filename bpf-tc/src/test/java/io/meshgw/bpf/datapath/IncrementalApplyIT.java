package io.meshgw.bpf.datapath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The kernel's maps after incremental applies hold what a whole recompute computes, across
 * random changes and restarts that re-adopt the pinned maps (whose first apply is a recompute).
 */
class IncrementalApplyIT {

    @Test
    void mapsHoldTheWholeImageAfterEveryIncrementalApplyAndRestart() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "loading BPF programs needs root (CAP_BPF)");
        Path root = Path.of("/sys/fs/bpf")
                .resolve("mgw-it-" + ProcessHandle.current().pid() + "-apply");
        DatapathOptions options = DatapathOptions.detached().withPinRoot(root);
        Random random = new Random(11);
        AppliedImageTest.TableChanges t = new AppliedImageTest.TableChanges(random, 300);
        try {
            Datapath dp = Datapath.open(options);
            try {
                IdAllocator fullIds = new IdAllocator(dp.maps().backends().maxEntries());
                for (int step = 0; step < 300; step++) {
                    if (step % 60 == 59) { // a restart: ids re-adopted from the pins, as open does
                        dp.close();
                        dp = Datapath.open(options);
                        MapImage pinned = dp.readImage();
                        fullIds = new IdAllocator(dp.maps().backends().maxEntries());
                        fullIds.adopt(pinned.services(), pinned.backends());
                    }
                    String what = t.changeSomething();
                    TranslationTable table = t.table();
                    MapImage full = MapImage.of(table, fullIds);
                    fullIds.retain(full.services().keySet(), full.backends().keySet());
                    dp.apply(table);
                    assertThat(dp.readImage())
                            .as("step " + step + " after " + what)
                            .isEqualTo(full);
                }
            } finally {
                dp.close();
            }
        } finally {
            DatapathTrafficIT.deleteTree(root);
        }
    }
}
