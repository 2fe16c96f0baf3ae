package org.baid4j.tuning;

import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

import java.util.List;
import java.util.Map;
import java.util.Properties;

/** A {@link ScoreFunction} for {@link CandidateTasks}: the tasks score themselves; the runner needs only the direction. */
public interface TaskScore extends ScoreFunction {
    @Override
    default double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        throw new UnsupportedOperationException("the tasks compute their own scores");
    }

    @Override
    default double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        throw new UnsupportedOperationException("the tasks compute their own scores");
    }

    @Override
    default List<Class<?>> getSupportedModelTypes() {
        return List.of(Object.class);
    }

    @Override
    default List<Class<?>> getSupportedDataTypes() {
        return List.of(Object.class);
    }
}
