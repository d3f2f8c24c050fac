package dev.ckpt.pickle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The Opcode enum is CPython's pickletools table (the oracle), entry for entry. */
class OpcodeTableTest {
    @Test
    void opcodeEnumMatchesPickletools() {
        String table = PythonOracle.run(PythonOracle.corpusScripts().resolve("opcode_table.py"), List.of(), "");
        List<String> cpython = table.lines().sorted().toList();
        List<String> ours = Arrays.stream(Opcode.values())
                .map(op -> op.name() + "\t" + op.code() + "\t" + op.argument().name().toLowerCase(Locale.ROOT) + "\t" + op.protocol())
                .sorted()
                .toList();
        assertEquals(cpython, ours);
    }

    @Test
    void everyByteMapsToItsOpcodeOrNothing() {
        for (Opcode op : Opcode.values()) {
            assertEquals(op, Opcode.forCode(op.code()));
        }
        assertEquals(null, Opcode.forCode(0xff));
    }
}
