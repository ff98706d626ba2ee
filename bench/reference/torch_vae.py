#!/usr/bin/env python3
"""PyTorch reference for `bvae bench`: training images/s of the project's VAEs on the CPU.

Used only to put the project's numbers next to a mature framework's on the same machine and in
the same session (the machine's speed drifts). Not part of the project's build or tests.

Setup (Debian): apt-get install python3-torch   (PyTorch 1.13 + OpenBLAS)
Run:            /usr/bin/python3 bench/reference/torch_vae.py [--arch burgess] [--threads 1] [--seconds 20] [--json]

The models mirror lib/models/architectures.ts, layer for layer (4x4 kernels throughout; tf.layers'
"same" padding at stride 2 is PyTorch's padding 1):
  burgess  4 conv 32 (stride 2, ReLU) -> FC 256 -> FC 256 -> 2z; decoder mirrored with transposed convs
  chairs   the H network: conv 32, 32, 64, 64 (stride 2, ReLU) -> conv 256 (4x4 valid) -> FC 2z;
           decoder FC 256 -> transposed conv 64 (valid), 64, 32, 32, 1 (stride 2)
  mlp      Higgins's dSprites MLP: FC 1200, 1200 (ReLU) -> 2z; decoder FC 1200 x3 (tanh) -> 4096
The step mirrors `bvae bench`'s (lib/bench/step.ts): Bernoulli reconstruction (logits clamped to
+-30, as the project does against denormals) + beta * KL, batch 64, z = 10, one channel; a fixed
batch of binary pixels (~10% on). The optimiser is each architecture's in the project's presets:
Adam 5e-4, and for the MLP Adagrad 1e-2 (Higgins et al.'s), unless --optimizer says otherwise.
"""
import argparse
import json
import os
import resource
import time

import torch
from torch import nn


class VAE(nn.Module):
    """An encoder to 2z numbers (means, log-variances), a decoder from z to logits [b, 1, 64, 64]."""

    def __init__(self, enc, dec, z=10):
        super().__init__()
        self.z, self.enc, self.dec = z, enc, dec

    def forward(self, x):
        h = self.enc(x)
        mu, logvar = h[:, : self.z], h[:, self.z :]
        zs = mu + torch.exp(0.5 * logvar) * torch.randn_like(mu)
        return self.dec(zs), mu, logvar


def burgess(z=10, nc=1):
    enc = nn.Sequential(
        nn.Conv2d(nc, 32, 4, 2, 1), nn.ReLU(),  # 32x32
        nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(),  # 16x16
        nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(),  # 8x8
        nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(),  # 4x4
        nn.Flatten(),
        nn.Linear(512, 256), nn.ReLU(),
        nn.Linear(256, 256), nn.ReLU(),
        nn.Linear(256, 2 * z),
    )
    dec = nn.Sequential(
        nn.Linear(z, 256), nn.ReLU(),
        nn.Linear(256, 256), nn.ReLU(),
        nn.Linear(256, 512), nn.ReLU(),
        nn.Unflatten(1, (32, 4, 4)),
        nn.ConvTranspose2d(32, 32, 4, 2, 1), nn.ReLU(),  # 8x8
        nn.ConvTranspose2d(32, 32, 4, 2, 1), nn.ReLU(),  # 16x16
        nn.ConvTranspose2d(32, 32, 4, 2, 1), nn.ReLU(),  # 32x32
        nn.ConvTranspose2d(32, nc, 4, 2, 1),  # 64x64 logits
    )
    return VAE(enc, dec, z)


def chairs(z=10, nc=1):
    enc = nn.Sequential(
        nn.Conv2d(nc, 32, 4, 2, 1), nn.ReLU(),  # 32x32
        nn.Conv2d(32, 32, 4, 2, 1), nn.ReLU(),  # 16x16
        nn.Conv2d(32, 64, 4, 2, 1), nn.ReLU(),  # 8x8
        nn.Conv2d(64, 64, 4, 2, 1), nn.ReLU(),  # 4x4
        nn.Conv2d(64, 256, 4, 1, 0), nn.ReLU(),  # 1x1
        nn.Flatten(),
        nn.Linear(256, 2 * z),
    )
    dec = nn.Sequential(
        nn.Linear(z, 256), nn.ReLU(),
        nn.Unflatten(1, (256, 1, 1)),
        nn.ConvTranspose2d(256, 64, 4, 1, 0), nn.ReLU(),  # 4x4
        nn.ConvTranspose2d(64, 64, 4, 2, 1), nn.ReLU(),  # 8x8
        nn.ConvTranspose2d(64, 32, 4, 2, 1), nn.ReLU(),  # 16x16
        nn.ConvTranspose2d(32, 32, 4, 2, 1), nn.ReLU(),  # 32x32
        nn.ConvTranspose2d(32, nc, 4, 2, 1),  # 64x64 logits
    )
    return VAE(enc, dec, z)


def mlp(z=10, nc=1):
    enc = nn.Sequential(
        nn.Flatten(),
        nn.Linear(4096 * nc, 1200), nn.ReLU(),
        nn.Linear(1200, 1200), nn.ReLU(),
        nn.Linear(1200, 2 * z),
    )
    dec = nn.Sequential(
        nn.Linear(z, 1200), nn.Tanh(),
        nn.Linear(1200, 1200), nn.Tanh(),
        nn.Linear(1200, 1200), nn.Tanh(),
        nn.Linear(1200, 4096 * nc),
        nn.Unflatten(1, (nc, 64, 64)),
    )
    return VAE(enc, dec, z)


ARCHITECTURES = {"burgess": burgess, "chairs": chairs, "mlp": mlp}


class ClampStraightThrough(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.clamp(-30.0, 30.0)

    @staticmethod
    def backward(ctx, g):
        return g


def loss_fn(logits, x, mu, logvar, beta=4.0):
    l = ClampStraightThrough.apply(logits)
    recon = nn.functional.binary_cross_entropy_with_logits(l, x, reduction="sum") / x.shape[0]
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp()) / x.shape[0]
    return recon + beta * kl


@torch.no_grad()
def time_inference(model, x, g, encode_batch, seconds):
    """Images/s of the forward pass (encoder + decoder) on x and of the encoder alone, as the
    metrics use it (posterior means of a batch of encode_batch images), each timed for `seconds`."""
    f0, fn = time.perf_counter(), 0
    while time.perf_counter() - f0 < seconds:
        model(x)
        fn += 1
    fwd = fn * x.shape[0] / (time.perf_counter() - f0)
    xe = (torch.rand(encode_batch, *x.shape[1:], generator=g) < 0.1).float()
    model.enc(xe)
    e0, en = time.perf_counter(), 0
    while time.perf_counter() - e0 < seconds:
        model.enc(xe)[:, : model.z].contiguous()
        en += 1
    return fwd, en * encode_batch / (time.perf_counter() - e0)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", choices=sorted(ARCHITECTURES), default="burgess", help="architecture (default burgess)")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1: one core)")
    p.add_argument("--seconds", type=float, default=20.0, help="timed seconds (default 20)")
    p.add_argument("--batch", type=int, default=64)
    # PyTorch's encoder is fastest here at batch 64 (at 256 its im2col buffers outgrow the caches:
    # ~200 vs ~260-400 img/s measured side by side); the project's metric encoder uses 256.
    p.add_argument("--encode-batch", type=int, default=64, help="batch of the encoder-only timing (default 64)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--no-train", action="store_true", help="skip the training timing (forward and encoder only; for side-by-side rounds)")
    p.add_argument("--train-only", action="store_true", help="skip the forward and encoder timings (for side-by-side rounds)")
    p.add_argument("--optimizer", choices=["adam", "adagrad"], help="default: adagrad for mlp, adam otherwise (as the presets)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = ARCHITECTURES[a.arch]()
    optimizer = a.optimizer or ("adagrad" if a.arch == "mlp" else "adam")
    if optimizer == "adagrad":
        opt = torch.optim.Adagrad(model.parameters(), lr=1e-2)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    g = torch.Generator().manual_seed(1)
    x = (torch.rand(a.batch, 1, 64, 64, generator=g) < 0.1).float()

    def step():
        logits, mu, logvar = model(x)
        loss = loss_fn(logits, x, mu, logvar)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(5):
        step()
    cpu0, t0, n = time.process_time(), time.perf_counter(), 0
    while not a.no_train and time.perf_counter() - t0 < a.seconds:
        step()
        n += 1
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    fwd, enc = (0.0, 0.0) if a.train_only else time_inference(model, x, g, a.encode_batch, a.seconds / 4)
    out = {
        "framework": f"PyTorch {torch.__version__}",
        "architecture": a.arch,
        "optimizer": optimizer,
        "threads": a.threads,
        "params": sum(q.numel() for q in model.parameters()),
        "batch": a.batch,
        "steps": n,
        "trainImagesPerSecond": n * a.batch / wall if n else 0.0,
        "trainImagesPerCpuSecond": n * a.batch / cpu if n else 0.0,
        "forwardImagesPerSecond": fwd,
        "encodeBatch": a.encode_batch,
        "encodeImagesPerSecond": enc,
        "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "loadAverage": os.getloadavg()[0],
    }
    if a.json:
        print(json.dumps(out))
    else:
        print(
            f"{out['framework']}, {a.threads} thread(s), {a.arch}: {out['params']:,} params, batch {a.batch}: "
            f"train {out['trainImagesPerSecond']:.1f} img/s ({out['trainImagesPerCpuSecond']:.1f} per CPU-s), "
            f"forward {out['forwardImagesPerSecond']:.1f} img/s, "
            f"encoder only (batch {a.encode_batch}) {out['encodeImagesPerSecond']:.1f} img/s, peak RSS {out['peakRssMB']:.0f} MB, load {out['loadAverage']:.1f}"
        )


if __name__ == "__main__":
    main()
