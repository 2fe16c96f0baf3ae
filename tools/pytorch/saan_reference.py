"""SAAN (Yi et al., CVPR 2023) stated in PyTorch on torchvision's modules, for parity checks of baid4j.

This is the project's own statement of the reference architecture (see docs/saan-reference facts):
module names match the authors' state_dict (GenAes.model.*, StyAes.model.*, StyAes.vgg.model.*,
NLB.*, bn.*, predictor.*), so a checkpoint of the reference code loads here with strict=True.
Used only to produce fixtures and to compare speed: never a runtime dependency of baid4j.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


class AdaIN(nn.Module):
    """sigma_s * (c - mu_c) / sigma_c + mu_s; sigma = unbiased std over HxW + 1e-6 (after the sqrt)."""

    def forward(self, content, style):
        b, c = content.shape[:2]
        cf = content.view(b, c, -1)
        sf = style.view(b, c, -1)
        c_mean = cf.mean(dim=2).view(b, c, 1, 1)
        c_std = cf.std(dim=2, unbiased=True).view(b, c, 1, 1) + 1e-6
        s_mean = sf.mean(dim=2).view(b, c, 1, 1)
        s_std = sf.std(dim=2, unbiased=True).view(b, c, 1, 1) + 1e-6
        return s_std * (content - c_mean) / c_std + s_mean


class NonLocalBlock(nn.Module):
    """Embedded Gaussian, sub-sampled (2x2 max-pool on phi and g), W = conv + BN initialised to 0."""

    def __init__(self, in_channels):
        super().__init__()
        self.inter = in_channels // 2
        self.g = nn.Sequential(nn.Conv2d(in_channels, self.inter, 1), nn.MaxPool2d(2))
        self.theta = nn.Conv2d(in_channels, self.inter, 1)
        self.phi = nn.Sequential(nn.Conv2d(in_channels, self.inter, 1), nn.MaxPool2d(2))
        self.W = nn.Sequential(nn.Conv2d(self.inter, in_channels, 1), nn.BatchNorm2d(in_channels))
        nn.init.constant_(self.W[1].weight, 0)
        nn.init.constant_(self.W[1].bias, 0)

    def forward(self, x):
        b = x.size(0)
        g_x = self.g(x).view(b, self.inter, -1).permute(0, 2, 1)
        theta_x = self.theta(x).view(b, self.inter, -1).permute(0, 2, 1)
        phi_x = self.phi(x).view(b, self.inter, -1)
        f = F.softmax(torch.matmul(theta_x, phi_x), dim=-1)
        y = torch.matmul(f, g_x).permute(0, 2, 1).contiguous().view(b, self.inter, *x.shape[2:])
        return self.W(y) + x


def resnet50_slice(last_stage):
    """torchvision ResNet-50 conv1..layer{last_stage}; deeper stages and the classifier removed."""
    m = torchvision.models.resnet50()
    for stage in range(last_stage + 1, 5):
        delattr(m, 'layer%d' % stage)
    del m.avgpool, m.fc
    return m


def run_resnet_slice(m, x, last_stage):
    x = m.maxpool(m.relu(m.bn1(m.conv1(x))))
    for stage in range(1, last_stage + 1):
        x = getattr(m, 'layer%d' % stage)(x)
    return x


class GenericAestheticsBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = resnet50_slice(3)

    def forward(self, x):
        return run_resnet_slice(self.model, x, 3)


class VGGEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(*list(torchvision.models.vgg19().features.children())[:21])

    def forward(self, x):
        return self.model(x)


class StyleSpecificBranch(nn.Module):
    def __init__(self):
        super().__init__()
        self.model = resnet50_slice(2)
        self.vgg = VGGEncoder()
        self.adain = AdaIN()

    def forward(self, x):
        content = run_resnet_slice(self.model, x, 2)
        style = self.vgg(x)
        return F.relu(self.adain(content, style))


class Head(nn.Module):
    """avgpool 2x2 -> BN -> flatten -> Linear -> act -> Dropout -> Linear -> sigmoid."""

    def __init__(self, channels, hidden=2048, dropout=0.5, leaky=False):
        super().__init__()
        self.avg = nn.AdaptiveAvgPool2d(2)
        self.bn = nn.BatchNorm2d(channels)
        self.predictor = nn.Sequential(nn.Linear(channels * 4, hidden),
                                       nn.LeakyReLU() if leaky else nn.ReLU(),
                                       nn.Dropout(dropout), nn.Linear(hidden, 1))
        nn.init.normal_(self.bn.weight, 1.0, 0.02)
        nn.init.constant_(self.bn.bias, 0)
        for lin in (self.predictor[0], self.predictor[3]):
            nn.init.normal_(lin.weight, 0.0, 0.02)
            nn.init.constant_(lin.bias, 0)

    def forward(self, x):
        x = self.bn(self.avg(x))
        return torch.sigmoid(self.predictor(x.flatten(1)))


class SAAN(nn.Module):
    """variant: 'full', 'without-gab', 'without-sab'. Module names as the reference's state_dict."""

    def __init__(self, variant='full', dropout=0.5, leaky=False):
        super().__init__()
        self.variant = variant
        channels = {'full': 1536, 'without-gab': 512, 'without-sab': 1024}[variant]
        if variant != 'without-gab':
            self.GenAes = GenericAestheticsBranch()
            for p in self.GenAes.parameters():
                p.requires_grad = False
        if variant != 'without-sab':
            self.StyAes = StyleSpecificBranch()
            for p in self.StyAes.vgg.parameters():
                p.requires_grad = False
            self.pool = nn.MaxPool2d(3, 2, 1)
        self.NLB = NonLocalBlock(channels)
        head = Head(channels, dropout=dropout, leaky=leaky)
        # Flattened into the top level, as the reference names them: bn.*, predictor.*
        self.avg = head.avg
        self.bn = head.bn
        self.predictor = head.predictor

    def forward(self, x):
        parts = []
        if self.variant != 'without-sab':
            parts.append(self.pool(self.StyAes(x)))
        if self.variant != 'without-gab':
            parts.append(self.GenAes(x))
        x = parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)
        x = self.NLB(x)
        x = self.bn(self.avg(x))
        return torch.sigmoid(self.predictor(x.flatten(1)))


class PretrainNetwork(nn.Module):
    """The self-supervised pretraining network (the reference's ResNetPretrain): ResNet-50 to layer4,
    avgpool, Dropout, Linear(2048, 30), softmax. Its state_dict has the keys the reference's
    epoch_99.pth has: model.conv1.weight, ..., model.fc.1.weight. forward() returns the 30
    probabilities; features_and_probabilities() what the reference's forward returns: the layer4
    features and the probabilities."""

    def __init__(self, operations=30, dropout=0.5):
        super().__init__()
        self.model = torchvision.models.resnet50()
        self.model.fc = nn.Sequential(nn.Dropout(dropout), nn.Linear(2048, operations))

    def features_and_probabilities(self, x):
        m = self.model
        x = m.maxpool(m.relu(m.bn1(m.conv1(x))))
        features = m.layer4(m.layer3(m.layer2(m.layer1(x))))
        return features, F.softmax(m.fc(torch.flatten(m.avgpool(features), 1)), dim=1)

    def forward(self, x):
        return self.features_and_probabilities(x)[1]


def degradation_loss(opts, logits, batch_size):
    """The reference's cal_deg_loss: the mean of -log p[op] (its logits are the softmax output)."""
    loss = 0.0
    for i in range(batch_size):
        loss += -torch.log(logits[i][opts[i]])
    return loss / batch_size


def ranking_loss(original, degraded, trp1, trp2, opts, batch_size):
    """The reference's cal_trp_loss, as written in pretraining_utils/pretrain_losses.py."""
    original = F.normalize(original, p=2, dim=[1, 2, 3])
    degraded = F.normalize(degraded, p=2, dim=[1, 2, 3])
    trp1 = F.normalize(trp1, p=2, dim=[1, 2, 3])
    trp2 = F.normalize(trp2, p=2, dim=[1, 2, 3])
    d = torch.sum(torch.square(original - degraded), dim=[1, 2, 3])
    t1 = torch.sum(torch.square(original - trp1), dim=[1, 2, 3])
    t2 = torch.sum(torch.square(original - trp2), dim=[1, 2, 3])
    loss = 0.0
    ranked = 0
    for i in range(batch_size):
        if opts[i] <= 26:
            ranked += 1
            if opts[i] % 3 == 0:
                l1, l2 = d[i] - t1[i] + 1, t1[i] - t2[i] + 1
            elif opts[i] % 3 == 1:
                l1, l2 = t1[i] - d[i] + 1, d[i] - t2[i] + 1
            else:
                l1, l2 = t1[i] - t2[i] + 1, t2[i] - d[i] + 1
            loss += max(max(0, l1) + max(0, l2) - 1, 0)
    return loss / max(ranked, 1)


def preprocess(path, size=224):
    """The reference's test transform: cv2.imread, BGR->RGB, PIL bilinear resize, ToTensor, Normalize."""
    import cv2
    from PIL import Image
    import torchvision.transforms as T
    bgr = cv2.imread(path)
    if bgr is None:
        raise ValueError('cannot decode ' + path)
    img = Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    t = T.Compose([T.Resize((size, size)), T.ToTensor(), T.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    return t(img)


def resized_uint8(path, size=224):
    """The uint8 RGB pixels after decoding and resizing, before normalisation."""
    import cv2
    import numpy as np
    from PIL import Image
    bgr = cv2.imread(path)
    img = Image.fromarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)).resize((size, size), Image.BILINEAR)
    return np.asarray(img)


if __name__ == '__main__':
    m = SAAN()
    sd = m.state_dict()
    n_params = sum(p.numel() for p in m.parameters())
    n_train = sum(p.numel() for p in m.parameters() if p.requires_grad)
    print('state_dict entries', len(sd), 'parameters', n_params, 'trainable', n_train)
