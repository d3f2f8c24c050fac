package dev.ckpt.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ckpt.pickle.PythonOracle;
import dev.ckpt.torch.DType;
import dev.ckpt.torch.TensorView;
import dev.ckpt.torch.TorchCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void renameAddAndDeleteLoadInTorch() throws Exception {
        Path make = Files.writeString(dir.resolve("make.py"), """
                import sys, torch
                torch.save({"state_dict": {"a": torch.arange(6, dtype=torch.float32).reshape(2, 3), "b": torch.ones(2)}}, sys.argv[1])
                """);
        Path ckpt = dir.resolve("m.ckpt");
        PythonOracle.run(make, List.of(ckpt.toString()), "");
        Path out = dir.resolve("out.ckpt");
        try (TorchCheckpoint c = TorchCheckpoint.open(ckpt)) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> sd = (Map<Object, Object>) c.rootDict().get("state_dict");
            sd.put("renamed", sd.remove("a"));
            sd.remove("b");
            TensorView t = c.newTensor(DType.FLOAT32, new long[] {2}, TorchCheckpoint.fromFloats(7f, 8f));
            sd.put("new", t.value());
            TensorView renamed = TensorView.of(sd.get("renamed"));
            assertEquals(5f, TorchCheckpoint.asFloats(c.readData(renamed))[5]);
            c.write(out);
        }
        Path check = Files.writeString(dir.resolve("check.py"), """
                import sys, torch
                c = torch.load(sys.argv[1], weights_only=False)
                sd = c["state_dict"]
                assert sorted(sd) == ["new", "renamed"], sorted(sd)
                assert torch.equal(sd["renamed"], torch.arange(6, dtype=torch.float32).reshape(2, 3))
                assert torch.equal(sd["new"], torch.tensor([7.0, 8.0]))
                print("OK")
                """);
        assertEquals("OK", PythonOracle.run(check, List.of(out.toString()), "").strip());
    }
}
