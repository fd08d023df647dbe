package nnlab.experiment;

import java.util.LinkedHashMap;
import java.util.Map;

/** The settings of one run: what {@code config.json} holds and what a sweep varies. */
public interface RunConfig {
    /** {@code train} or {@code classic}. */
    String kind();

    /** The model name, as on the command line. */
    String model();

    /** Every setting under its canonical name, in schema order. */
    Map<String, Object> toMap();

    /** The settings as flat {@code key=value} strings (what a sweep overrides and summary.csv shows). */
    default Map<String, String> toFlat() {
        Map<String, String> out = new LinkedHashMap<>();
        toMap().forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }
}
