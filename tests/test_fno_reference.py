"""Our FNO against neuraloperator's spectral convolution under identical weights.

neuraloperator (``pip install -e ".[bench]"``; not installed in CI, so this file skips there)
is the reference implementation of Li et al.'s Fourier layer. Our
:class:`~wideopt.models.spectral_conv.SpectralConv1d` replaces the FFT by truncated real DFT
matrices; here the same complex weights R_k = (Re + i Im) / sqrt(2 m) are copied into
neuraloperator's dense ``SpectralConv`` (``fft_norm="ortho"``; its ``n_modes = 2k - 1`` keeps
the k lowest rfft modes of real data), and both the single layer and the whole
network (lift, 4 Fourier layers sigma(W v + K v) with no sigma after the last, as Li et al.'s
code and neuraloperator, projection) must agree to float32 round-off.

neuraloperator's own ``FNO`` class is not compared end to end: with ``use_channel_mlp=False``
its blocks apply the activation twice in the inner layers.
"""

import pytest
import torch

from wideopt.models.fno import FNO1d
from wideopt.models.spectral_conv import SpectralConv1d

neuralop = pytest.importorskip("neuralop", reason="neuraloperator is in the bench extra only")
from neuralop.layers.spectral_convolution import SpectralConv  # noqa: E402

TOL = dict(rtol=1e-5, atol=2e-6)  # float32: neuraloperator computes in complex64


def reference_conv(ours: SpectralConv1d, channels: int) -> SpectralConv:
    """neuraloperator's dense SpectralConv holding our layer's complex weights (i, o, k)."""
    ref = SpectralConv(channels, channels, n_modes=(2 * ours.modes - 1,), bias=False,
                       fft_norm="ortho")
    w = (ours.weight[0] + 1j * ours.weight[1]).permute(1, 2, 0) * ours.scale
    with torch.no_grad():
        ref.weight.tensor.copy_(w)
    return ref


def test_spectral_conv_matches_neuraloperator():
    torch.manual_seed(0)
    ours = SpectralConv1d(6, 6, 5)
    ref = reference_conv(ours, 6)
    v = torch.randn(3, 32, 6)  # (batch, n_x, channels): ours is channels-last
    torch.testing.assert_close(ours(v), ref(v.transpose(1, 2)).transpose(1, 2), **TOL)


def test_fno_forward_matches_a_network_built_on_neuraloperators_layer():
    torch.manual_seed(1)
    width, modes, n_x = 8, 6, 40
    net = FNO1d(width, modes=modes, n_layers=4, activation="gelu", proj_width=16)
    with torch.no_grad():  # non-zero biases, so that the bias path is compared too
        for p in net.parameters():
            if p.ndim == 1:
                p.normal_()
    refs = [reference_conv(s, width) for s in net.spectral]
    u, x = torch.randn(4, n_x), torch.linspace(0, 1, n_x)

    def linear(layer, v):  # NTKLinear's effective affine map, written out
        return v @ (layer.weight * layer.scale).T + layer.bias

    act = torch.nn.functional.gelu
    v = linear(net.lift, torch.stack([u, x.expand_as(u)], dim=-1))
    for i, (ref, point) in enumerate(zip(refs, net.pointwise, strict=True)):
        v = linear(point, v) + ref(v.transpose(1, 2)).transpose(1, 2)
        v = act(v) if i < len(refs) - 1 else v  # none after the last Fourier layer
    expected = linear(net.proj2, act(linear(net.proj1, v))).squeeze(-1)
    torch.testing.assert_close(net(u, x), expected, **TOL)
