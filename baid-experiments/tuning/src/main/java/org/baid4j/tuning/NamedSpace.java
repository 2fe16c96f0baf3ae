package org.baid4j.tuning;

import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Arbiter {@link ParameterSpace} of named leaves: a candidate is the map from each name to its
 * leaf's value (a study's hyperparameters, a benchmark function's arguments).
 */
public final class NamedSpace implements ParameterSpace<Map<String, Object>> {
    private final Map<String, ParameterSpace<?>> leaves;

    public NamedSpace(Map<String, ? extends ParameterSpace<?>> leaves) {
        if (leaves.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one parameter");
        }
        for (Map.Entry<String, ? extends ParameterSpace<?>> e : leaves.entrySet()) {
            if (!e.getValue().isLeaf()) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " is not a leaf space");
            }
        }
        this.leaves = Collections.unmodifiableMap(new LinkedHashMap<>(leaves));
    }

    public Map<String, ParameterSpace<?>> leaves() {
        return leaves;
    }

    @Override
    public Map<String, Object> getValue(double[] input) {
        Map<String, Object> value = new LinkedHashMap<>();
        leaves.forEach((name, leaf) -> value.put(name, leaf.getValue(input)));
        return value;
    }

    @Override
    public int numParameters() {
        return leaves.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        return new ArrayList<>(leaves.values());
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return new LinkedHashMap<>(leaves);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("a named space is not a leaf; its leaves are numbered by the generator");
    }

    @Override
    public String toString() {
        return "NamedSpace" + leaves;
    }
}
