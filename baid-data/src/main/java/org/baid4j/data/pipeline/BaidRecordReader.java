package org.baid4j.data.pipeline;

import org.baid4j.data.ImageDecodeException;
import org.baid4j.data.SaanTransform;
import org.baid4j.data.baid.BaidLabel;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.DoubleWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.io.DataInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * A DataVec record reader over a BAID split: each record is [image as NDArrayWritable
 * [1, 3, S, S], score / 10 as DoubleWritable], with the reference's evaluation transform (or the
 * training flip, seeded per record). For DataVec pipelines such as
 * {@code new RecordReaderDataSetIterator(reader, batch, 1, 1, true)}; training and evaluation in
 * this project use the faster, prefetching {@link BaidDataSetIterator}.
 */
public final class BaidRecordReader extends BaseRecordReader {
    private final List<BaidLabel> labels;
    private final ResizedImages images;
    private final SaanTransform transform;
    private final boolean flip;
    private final long seed;
    private int position;
    private Configuration conf;

    /** @param flip mirror each record with probability 0.5, decided by {@code seed} and the record's index */
    public BaidRecordReader(List<BaidLabel> labels, ResizedImages images, boolean flip, long seed) {
        this.labels = List.copyOf(labels);
        this.images = images;
        this.transform = new SaanTransform(images.size());
        this.flip = flip;
        this.seed = seed;
    }

    @Override
    public void initialize(InputSplit split) {
        // The split's labels are given at construction.
    }

    @Override
    public void initialize(Configuration conf, InputSplit split) {
        this.conf = conf;
    }

    @Override
    public boolean hasNext() {
        return position < labels.size();
    }

    @Override
    public List<Writable> next() {
        return nextRecord().getRecord();
    }

    @Override
    public Record nextRecord() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int index = position++;
        return new org.datavec.api.records.impl.Record(load(index),
                new RecordMetaDataIndex(index, URI.create("baid:" + labels.get(index).image()), BaidRecordReader.class));
    }

    private List<Writable> load(int index) {
        BaidLabel label = labels.get(index);
        boolean mirrored = flip && new java.util.SplittableRandom(seed * 1_000_003L + index).nextDouble() < 0.5;
        float[] chw;
        try {
            chw = transform.chw(images.resized(label.image()), mirrored);
        } catch (ImageDecodeException e) {
            throw new UncheckedIOException(e);
        }
        int s = images.size();
        List<Writable> record = new ArrayList<>(2);
        record.add(new NDArrayWritable(Nd4j.create(chw, new long[]{1, 3, s, s}, DataType.FLOAT)));
        record.add(new DoubleWritable(label.target()));
        return record;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }

    @Override
    public void reset() {
        position = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException("records come from the BAID split, not from streams");
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        int index = (int) ((RecordMetaDataIndex) recordMetaData).getIndex();
        return new org.datavec.api.records.impl.Record(load(index), recordMetaData);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        List<Record> out = new ArrayList<>();
        for (RecordMetaData m : recordMetaDatas) {
            out.add(loadFromMetaData(m));
        }
        return out;
    }

    @Override
    public void close() {
    }

    @Override
    public void setConf(Configuration conf) {
        this.conf = conf;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }
}
