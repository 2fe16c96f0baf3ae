package org.baid4j.weights;

import java.util.Collection;

/** The kinds of PyTorch checkpoint the importer maps, named as in {@code module-rules.tsv}. */
public enum CheckpointLayout {
    /** A full SAAN checkpoint, such as the authors' model_best.pth. */
    SAAN("saan", "a SAAN checkpoint (GenAes.*, StyAes.*, NLB.*, bn.*, predictor.*)"),
    /** The self-supervised pretraining network's state_dict (epoch_99.pth). */
    PRETRAIN("pretrain", "a pretraining-network checkpoint (model.conv1.*, model.layer1.*, ...)"),
    /** The same checkpoint loaded whole into baid4j's pretraining network (layer4 and the classifier included). */
    PRETRAIN_NETWORK("pretrain-network", "a pretraining-network checkpoint (model.conv1.*, ..., model.fc.1.*)"),
    /** torchvision's resnet50 ImageNet weights. */
    TORCHVISION_RESNET50("torchvision-resnet50", "torchvision's resnet50 state_dict (conv1.*, layer1.*, ..., fc.*)"),
    /** torchvision's vgg19 ImageNet weights. */
    TORCHVISION_VGG19("torchvision-vgg19", "torchvision's vgg19 state_dict (features.N.*, classifier.*)");

    private final String id;
    private final String description;

    CheckpointLayout(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    /** Whether a checkpoint whose keys look like {@code detected} is one this layout reads. */
    boolean reads(CheckpointLayout detected) {
        return detected == this || this == PRETRAIN_NETWORK && detected == PRETRAIN;
    }

    static CheckpointLayout ofId(String id) {
        for (CheckpointLayout l : values()) {
            if (l.id.equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown checkpoint layout '" + id + "'");
    }

    /** The layout that state_dict keys look like, or null when none fits. */
    public static CheckpointLayout detect(Collection<String> keys) {
        boolean saan = false;
        boolean pretrain = false;
        boolean resnet = false;
        boolean vgg = false;
        for (String k : keys) {
            saan |= k.startsWith("GenAes.") || k.startsWith("StyAes.") || k.startsWith("NLB.");
            pretrain |= k.startsWith("model.conv1.") || k.startsWith("model.layer1.");
            resnet |= k.startsWith("conv1.") || k.startsWith("layer1.");
            vgg |= k.startsWith("features.");
        }
        if (saan) {
            return SAAN;
        }
        if (pretrain) {
            return PRETRAIN;
        }
        if (resnet) {
            return TORCHVISION_RESNET50;
        }
        return vgg ? TORCHVISION_VGG19 : null;
    }
}
