package dev.ckpt.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ckpt.pickle.PyGlobal;
import dev.ckpt.pickle.PyObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A placeholder left in a tree is named by the path show prints for it. */
class PlaceholdersTest {
    private static final PyGlobal GONE = PyGlobal.of("shop.v1", "Old").asDeleted();

    @Test
    void placesAreReadablePaths() {
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put("cls", PyGlobal.of("shop.v1", "Gone").asDeleted());  // a value reached twice is looked at once
        Map<Object, Object> dict = new LinkedHashMap<>();
        dict.put("model.head", List.of(1L, PyObject.newInstance(GONE, Map.of())));
        dict.put("line\nINFO fake", PyObject.newInstance(PyGlobal.of("shop", "Kept"), state));
        dict.put(GONE, 1L);
        Map<Object, Object> root = new LinkedHashMap<>();
        root.put("state_dict", dict);

        assertEquals(List.of("state_dict (a key): shop.v1.Old", "state_dict[\"line\\nINFO fake\"] (state).cls: shop.v1.Gone",
                "state_dict[\"model.head\"][1]: shop.v1.Old"), Placeholders.find(root).stream().map(Object::toString).sorted().toList());
    }
}
