"""DeepONet, spectral convolution and FNO: shapes, NTK scaling, equivariance, references."""

import math

import numpy as np
import pytest
import torch

from wideopt.models.deeponet import DeepONet
from wideopt.models.fno import FNO1d
from wideopt.models.ntk_linear import NTKLinear
from wideopt.models.spectral_conv import SpectralConv1d


def test_ntk_linear_scaling():
    torch.manual_seed(0)
    layer = NTKLinear(400, 300)
    x = torch.randn(2000, 400)
    y = layer(x)
    # W ~ N(0,1), y = W x / sqrt(400): Var(y) = |x|^2 / 400 ~ 1 (O(1) at any width).
    assert abs(float(y.var()) - 1.0) < 0.05
    assert float(layer.bias.abs().max()) == 0.0


def test_deeponet_matches_explicit_formula():
    torch.manual_seed(1)
    net = DeepONet(n_sensors=5, width=7)
    u, y = torch.randn(3, 5), torch.linspace(0, 1, 4)
    out = net(u, y)
    assert out.shape == (3, 4)

    def mlp(seq, v):
        for layer in seq:
            v = (v @ layer.weight.T / math.sqrt(layer.weight.shape[1]) + layer.bias
                 if isinstance(layer, NTKLinear) else torch.tanh(v))
        return v

    ref = mlp(net.branch, u) @ mlp(net.trunk, y[:, None]).T / math.sqrt(7) + net.bias
    torch.testing.assert_close(out, ref)


def test_spectral_conv_is_a_truncated_fourier_multiplier():
    """Against a dense reference: DFT, multiply the kept modes, inverse DFT, in numpy."""
    torch.manual_seed(2)
    for n_x, modes in ((32, 5), (32, 17), (31, 16), (7, 1)):  # incl. Nyquist, odd n_x
        conv = SpectralConv1d(3, 2, modes=modes).double()
        v = torch.randn(4, n_x, 3, dtype=torch.float64)  # channels-last
        got = conv(v).detach().numpy()
        w = (conv.weight[0] + 1j * conv.weight[1]).detach().numpy() * conv.scale  # (k, i, o)
        w = w.transpose(1, 2, 0)  # (i, o, k)
        vh = np.fft.rfft(v.numpy(), axis=1, norm="ortho")  # (b, n_x//2+1, i)
        out = np.zeros((4, n_x // 2 + 1, 2), dtype=complex)
        out[:, :modes] = np.einsum("bki,iok->bko", vh[:, :modes], w)
        ref = np.fft.irfft(out, n=n_x, axis=1, norm="ortho")
        np.testing.assert_allclose(got, ref, atol=1e-12)


def test_spectral_conv_commutes_with_periodic_shift():
    torch.manual_seed(3)
    conv = SpectralConv1d(2, 2, modes=4).double()
    v = torch.randn(1, 16, 2, dtype=torch.float64)
    torch.testing.assert_close(conv(torch.roll(v, 3, 1)), torch.roll(conv(v), 3, 1))


@pytest.mark.parametrize("width", [8, 32])
def test_fno_shapes_and_o1_output_at_init(width):
    torch.manual_seed(4)
    net = FNO1d(width, modes=8)
    u, x = torch.randn(6, 40), torch.linspace(0, 1, 40)
    out = net(u, x)
    assert out.shape == (6, 40) and torch.isfinite(out).all()
    assert 0.05 < float(out.std()) < 20  # NTK parameterization keeps outputs O(1)


def test_fno_rejects_too_many_modes():
    net = FNO1d(4, modes=20)
    with pytest.raises(ValueError, match="modes"):
        net(torch.randn(2, 16), torch.linspace(0, 1, 16))


def test_bad_activation_and_width():
    with pytest.raises(ValueError, match="activation"):
        DeepONet(5, 4, activation="relu")
    with pytest.raises(ValueError, match="width"):
        FNO1d(0)


def test_fno_has_no_activation_after_the_last_fourier_layer():
    """Li et al.'s FNO: sigma after Fourier layers 1..L-1 only. Written out by hand from the
    layers: the output must match that, and differ from the variant with sigma after all L."""
    torch.manual_seed(5)
    net = FNO1d(6, modes=4, n_layers=3, activation="gelu", proj_width=8).double()
    u = torch.randn(3, 16, dtype=torch.float64)
    x = torch.linspace(0, 1, 16, dtype=torch.float64)
    act = torch.nn.functional.gelu
    v = net.lift(torch.stack([u, x.expand_as(u)], dim=-1))
    outs = {}
    for sigma_last in (False, True):
        w = v
        for i, (spec, point) in enumerate(zip(net.spectral, net.pointwise, strict=True)):
            w = point(w) + spec(w)
            w = act(w) if (i < 2 or sigma_last) else w
        outs[sigma_last] = net.proj2(act(net.proj1(w))).squeeze(-1)
    torch.testing.assert_close(net(u, x), outs[False])
    assert (net(u, x) - outs[True]).abs().max() > 1e-3
