"""``Network.from_config`` builds what ``to_config`` describes; a bad config
is one clear InputError (model files wrap it as a ModelFileError)."""

import numpy as np
import pytest

import bpnn


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_from_config_rebuilds_the_architecture(dtype):
    net = bpnn.Network.from_sizes(
        [5, 4, 3],
        ["tanh", "softmax"],
        bias=False,
        init="xavier",
        loss="cross_entropy",
        dtype=dtype,
    )
    again = bpnn.Network.from_config(net.to_config())
    assert again.to_config() == net.to_config()
    assert [p.shape for p in again.params()] == [p.shape for p in net.params()]
    assert all(p.dtype == np.dtype(dtype) for p in again.params())
    layer = bpnn.Dense.from_config(net.layers[0].to_config())
    assert repr(layer) == repr(net.layers[0]) and layer.init == "xavier"


GOOD = bpnn.Network.from_sizes([3, 2, 1]).to_config()


@pytest.mark.parametrize(
    "config,words",
    [
        ([1, 2], "must be a dict"),
        ({**GOOD, "layers": "x"}, "no list of layers"),
        ({**GOOD, "layers": []}, "no list of layers"),
        ({"layers": GOOD["layers"]}, "lacks loss, dtype"),
        ({**GOOD, "layers": [{"n_in": 3}]}, "lacks n_out, activation, bias, init"),
        ({**GOOD, "layers": [7]}, "layer's config must be a dict"),
        ({**GOOD, "loss": "hinge"}, "unknown loss 'hinge'"),
        ({**GOOD, "layers": GOOD["layers"][:1]}, None),
    ],
)
def test_bad_configs_are_named(config, words):
    if words is None:  # one layer 3 -> 2 is a valid network
        assert bpnn.Network.from_config(config).sizes == [3, 2]
        return
    with pytest.raises((bpnn.InputError, TypeError), match=words):
        bpnn.Network.from_config(config)


def test_a_model_file_names_itself_on_a_bad_config(tmp_path):
    from bpnn.files.model import network_from_config

    with pytest.raises(bpnn.ModelFileError, match=r"m\.npz: config.json describes"):
        network_from_config({**GOOD, "dtype": "int8"}, tmp_path / "m.npz")
