package nnlab.experiment;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The hyperparameters of one kind of run, in the order they are shown and stored. */
public record Schema(String command, List<Param> params) {

    public Param param(String name) {
        for (Param p : params) {
            if (p.name().equals(name) || p.aliases().contains(name)) return p;
        }
        throw new IllegalArgumentException("'" + command + "' has no hyperparameter '" + name + "'; known: " + names());
    }

    /** The on/off settings ({@link Param#flag}): on the command line they take no value. */
    public java.util.Set<String> flags() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (Param p : params) if (p.type() == Param.Type.FLAG) out.add(p.name());
        return out;
    }

    public List<String> names() {
        return params.stream().map(Param::name).toList();
    }

    /**
     * The full, validated settings: {@code given} (keys may be aliases) over {@code defaults} (keys
     * by canonical name) over each parameter's own default. Values are checked against each
     * parameter's type and choices; an unknown key is an error listing the known ones.
     */
    public Map<String, Object> resolve(Map<String, String> given, Map<String, String> defaults) {
        Map<String, String> raw = new LinkedHashMap<>();
        for (Param p : params) raw.put(p.name(), defaults.getOrDefault(p.name(), p.defaultValue()));
        given.forEach((k, v) -> raw.put(param(k).name(), v));
        Map<String, Object> out = new LinkedHashMap<>();
        for (Param p : params) out.put(p.name(), p.parse(raw.get(p.name())));
        return out;
    }
}
