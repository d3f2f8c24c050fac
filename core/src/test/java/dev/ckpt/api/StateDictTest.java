package dev.ckpt.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** StateDict's renames on a plain tree: positions kept, _metadata in step, clashes refused whole. */
class StateDictTest {
    @Test
    void renamesKeepPositionsAndRefuseClashesWithoutChangingAnything() {
        Map<Object, Object> entries = entries("enc.a", "enc.b", "encoder2.a", "head.w");
        Map<Object, Object> metadata = entries("", "enc", "enc.sub", "encoder2", "head");
        StateDict stateDict = new StateDict(entries, metadata, null);

        assertEquals(2, stateDict.renamePrefix("enc.", "body."));
        assertEquals(List.of("body.a", "body.b", "encoder2.a", "head.w"), stateDict.keys());
        assertEquals(List.of("", "body", "body.sub", "encoder2", "head"), new ArrayList<>(metadata.keySet()));

        stateDict.rename("head.w", "head.weight");
        assertEquals(List.of("body.a", "body.b", "encoder2.a", "head.weight"), stateDict.keys());

        IllegalArgumentException clash = assertThrows(IllegalArgumentException.class, () -> stateDict.rename("body.a", "body.b"));
        assertTrue(clash.getMessage().contains("body.b"), clash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> stateDict.renamePrefix("body.", "encoder2."));
        assertEquals(List.of("body.a", "body.b", "encoder2.a", "head.weight"), stateDict.keys(), "a failed rename changes nothing");
        assertEquals("value of enc.a", stateDict.get("body.a"), "values follow their renamed names");

        NoSuchElementException missing = assertThrows(NoSuchElementException.class, () -> stateDict.rename("nope", "x"));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
        assertEquals(2, stateDict.removePrefix("body."));
        assertEquals(List.of("encoder2.a", "head.weight"), stateDict.keys());
    }

    private static Map<Object, Object> entries(String... keys) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (String key : keys) {
            map.put(key, "value of " + key);
        }
        return map;
    }
}
