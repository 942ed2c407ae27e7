package io.mmipc.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.mmipc.cli.read.Fields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON writer's output parses back (with Gson) to the same values, escapes included. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JsonTest {
    @Test
    void everyKindOfValueParsesBack() {
        String tricky = "quote\" backslash\\ newline\n tab\t bell\u0007 é";
        Fields f = new Fields().add("s", tricky).add("n", Long.MIN_VALUE).add("d", 1.5).add("nan", Double.NaN)
                .add("t", true).add("nil", null).add("list", Arrays.asList(1, "two", null))
                .add("nested", new Fields().add("k", List.of()));
        JsonObject o = JsonParser.parseString(Json.write(f)).getAsJsonObject();
        assertEquals(tricky, o.get("s").getAsString());
        assertEquals(Long.MIN_VALUE, o.get("n").getAsLong());
        assertEquals(1.5, o.get("d").getAsDouble());
        assertEquals("NaN", o.get("nan").getAsString());
        assertTrue(o.get("t").getAsBoolean());
        assertTrue(o.get("nil").isJsonNull());
        assertEquals(3, o.getAsJsonArray("list").size());
        assertTrue(o.getAsJsonArray("list").get(2).isJsonNull());
        assertEquals(0, o.getAsJsonObject("nested").getAsJsonArray("k").size());
        assertEquals(List.of("s", "n", "d", "nan", "t", "nil", "list", "nested"), List.copyOf(o.keySet()),
                "fields keep their order");
    }
}
