package org.baid4j.tuning;

import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.generator.BaseCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.parameter.BooleanSpace;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;
import org.deeplearning4j.arbiter.util.LeafUtils;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Optuna's TPE ({@link TpeSampler}) as an Arbiter {@link org.deeplearning4j.arbiter.optimize.api.CandidateGenerator},
 * for any {@link ParameterSpace}: it learns from {@link #reportResults}. Each leaf of the space is
 * modelled in its own terms: a {@link ContinuousParameterSpace} on [min, max], on the log scale when
 * its distribution is Arbiter's {@code LogUniformDistribution}; an {@link IntegerParameterSpace} as
 * integers; a {@link DiscreteParameterSpace} or {@link BooleanSpace} as a categorical; any other
 * leaf on its unit interval. Candidates are reproducible: trial {@code t}'s random draws depend
 * on the seed and {@code t} only, so a search restored with its results proposes what an
 * uninterrupted one would.
 */
public class TpeCandidateGenerator extends BaseCandidateGenerator<Object> {
    private final List<ParameterSpace> leaves;
    private final TpeSampler sampler;
    private final boolean minimize;
    private final List<TpeSampler.Observation> history = new ArrayList<>();
    private long seed;

    /** With Optuna's defaults, minimising, seed 0: as Arbiter's own generators are made. */
    public TpeCandidateGenerator(ParameterSpace<?> space, Map<String, Object> dataParameters) {
        this(space, dataParameters, TpeSampler.Settings.optunaDefaults(), true, 0);
    }

    @SuppressWarnings("unchecked")
    private TpeCandidateGenerator(ParameterSpace<?> space, Map<String, Object> dataParameters,
                                  TpeSampler.Settings settings, boolean minimize, long seed) {
        super((ParameterSpace<Object>) space, dataParameters, false);
        initialize();
        // In the order initialize() numbered them: leaf k reads input k.
        this.leaves = LeafUtils.getUniqueObjects(space.collectLeaves()).stream()
                .filter(l -> l.numParameters() > 0).toList();
        for (ParameterSpace leaf : leaves) {
            if (leaf.numParameters() != 1) {
                throw new IllegalArgumentException("leaf " + leaf + " has " + leaf.numParameters()
                        + " parameters; TPE models leaves of one");
            }
        }
        List<TpeSampler.Domain> domains = new ArrayList<>();
        for (int k = 0; k < leaves.size(); k++) {
            domains.add(domain(leaves.get(k), k, space.numParameters()));
        }
        this.sampler = new TpeSampler(domains, settings);
        this.minimize = minimize;
        this.seed = seed;
    }

    public static Builder builder(ParameterSpace<?> space) {
        return new Builder(space);
    }

    /** The generator's settings; the defaults are Optuna's. */
    public static final class Builder {
        private final ParameterSpace<?> space;
        private Map<String, Object> dataParameters;
        private int startupTrials = TpeSampler.Settings.optunaDefaults().startupTrials();
        private int eiCandidates = TpeSampler.Settings.optunaDefaults().eiCandidates();
        private double priorWeight = TpeSampler.Settings.optunaDefaults().priorWeight();
        private boolean magicClip = TpeSampler.Settings.optunaDefaults().magicClip();
        private boolean minimize = true;
        private long seed;

        private Builder(ParameterSpace<?> space) {
            this.space = space;
        }

        public Builder dataParameters(Map<String, Object> p) {
            dataParameters = p;
            return this;
        }

        public Builder startupTrials(int n) {
            startupTrials = n;
            return this;
        }

        public Builder eiCandidates(int n) {
            eiCandidates = n;
            return this;
        }

        public Builder priorWeight(double w) {
            priorWeight = w;
            return this;
        }

        public Builder magicClip(boolean on) {
            magicClip = on;
            return this;
        }

        /** Whether lower scores are better (Arbiter's ScoreFunction.minimize()); default true. */
        public Builder minimize(boolean m) {
            minimize = m;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        public TpeCandidateGenerator build() {
            if (startupTrials < 1 || eiCandidates < 1 || !(priorWeight > 0)) {
                throw new IllegalArgumentException("TPE needs at least one startup trial and one candidate, and a positive prior weight");
            }
            return new TpeCandidateGenerator(space, dataParameters,
                    new TpeSampler.Settings(startupTrials, eiCandidates, priorWeight, magicClip), minimize, seed);
        }
    }

    /**
     * The leaf's domain, read from how it maps its unit input (Arbiter keeps the distribution
     * private): a continuous leaf whose midpoint is the arithmetic mean of its ends is linear, the
     * geometric mean log-uniform; an integer leaf that maps uniformly is an integer range.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static TpeSampler.Domain domain(ParameterSpace leaf, int index, int inputs) {
        if (leaf instanceof ContinuousParameterSpace) {
            double lo = number(leaf, index, inputs, 0);
            double hi = number(leaf, index, inputs, 1);
            double mid = number(leaf, index, inputs, 0.5);
            double tolerance = 1e-9 * Math.max(Math.abs(lo), Math.abs(hi));
            if (lo < hi && Math.abs(mid - (lo + hi) / 2) <= tolerance) {
                return new TpeSampler.Real(lo, hi, false);
            }
            if (lo > 0 && lo < hi && Math.abs(mid - Math.sqrt(lo * hi)) <= tolerance) {
                return new TpeSampler.Real(lo, hi, true);
            }
        }
        if (leaf instanceof IntegerParameterSpace i) {
            int n = i.getMax() - i.getMin() + 1;
            boolean uniform = true;
            for (int v = 0; v < n && uniform; v += Math.max(1, n / 7)) {
                uniform = number(leaf, index, inputs, (v + 0.5) / n) == i.getMin() + v;
            }
            if (uniform) {
                return new TpeSampler.Int(i.getMin(), i.getMax(), false);
            }
        }
        if (leaf instanceof DiscreteParameterSpace d) {
            return new TpeSampler.Categorical(d.numValues());
        }
        if (leaf instanceof BooleanSpace) {
            return new TpeSampler.Categorical(2);
        }
        return new TpeSampler.Real(0, 1, false);   // the leaf's own unit interval
    }

    @SuppressWarnings("rawtypes")
    private static double number(ParameterSpace leaf, int index, int inputs, double u) {
        double[] input = new double[inputs];
        input[index] = u;
        return ((Number) leaf.getValue(input)).doubleValue();
    }

    @Override
    public boolean hasMoreCandidates() {
        return true;
    }

    @Override
    public synchronized Candidate getCandidate() {
        int index = candidateCounter.getAndIncrement();
        double[] point = sampler.propose(history, TpeSampler.trialRandom(seed, index));
        double[] unit = new double[parameterSpace.numParameters()];
        for (int k = 0; k < leaves.size(); k++) {
            unit[k] = toUnit(sampler.domains().get(k), point[k]);
        }
        Object value = null;
        Exception failure = null;
        try {
            value = parameterSpace.getValue(unit);
        } catch (Exception e) {
            failure = e;
        }
        return new Candidate(value, index, unit, dataParameters, failure);
    }

    /** Learns from a finished candidate; results without a finite score (failed trials) are left out, as Optuna does. */
    @Override
    public synchronized void reportResults(OptimizationResult result) {
        Double score = result.getScore();
        if (score == null || !Double.isFinite(score)) {
            return;
        }
        double[] unit = result.getCandidate().getFlatParameters();
        double[] values = new double[leaves.size()];
        for (int k = 0; k < leaves.size(); k++) {
            values[k] = fromUnit(sampler.domains().get(k), unit[k]);
        }
        history.add(new TpeSampler.Observation(values, minimize ? score : -score));
    }

    /** Candidates proposed so far (a restored search continues the count). */
    public int proposed() {
        return candidateCounter.get();
    }

    /** Continues the candidate count of a search restored from its results. */
    public void skipTo(int candidates) {
        candidateCounter.set(candidates);
    }

    @Override
    public void setRngSeed(long rngSeed) {
        this.seed = rngSeed;
    }

    @Override
    public Class<?> getCandidateType() {
        return null;
    }

    /** A value of the domain as the leaf's unit input (the leaf maps it back exactly). */
    static double toUnit(TpeSampler.Domain d, double v) {
        if (d instanceof TpeSampler.Real r) {
            double u = r.log() ? (Math.log(v) - Math.log(r.low())) / (Math.log(r.high()) - Math.log(r.low()))
                    : (v - r.low()) / (r.high() - r.low());
            return Math.max(0, Math.min(1, u));
        }
        if (d instanceof TpeSampler.Int i) {
            return (v - i.low() + 0.5) / (i.high() - i.low() + 1);
        }
        int choices = ((TpeSampler.Categorical) d).choices();
        return (v + 0.5) / choices;
    }

    static double fromUnit(TpeSampler.Domain d, double u) {
        if (d instanceof TpeSampler.Real r) {
            return r.log() ? Math.exp(Math.log(r.low()) + u * (Math.log(r.high()) - Math.log(r.low())))
                    : r.low() + u * (r.high() - r.low());
        }
        if (d instanceof TpeSampler.Int i) {
            long n = i.high() - i.low() + 1;
            return i.low() + Math.min(n - 1, (long) Math.floor(u * n));
        }
        int choices = ((TpeSampler.Categorical) d).choices();
        return Math.min(choices - 1, (int) Math.floor(u * choices));
    }

    @Override
    public String toString() {
        return "TpeCandidateGenerator(" + sampler.domains() + ", minimize=" + minimize + ", seed=" + seed + ")";
    }
}
