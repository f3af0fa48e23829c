"""Organisation types A–D from the capability × legacy grid, against Karlskoga's published types."""


import numpy as np

from dimios_lib.config import ModelConfig
from dimios_lib.maturity.types import classify
from dimios_lib.text.common import type_description


def test_types_grid_and_cutoffs():
    assert classify([49.9, 50, 49.9, 50, np.nan], [49.9, 49.9, 50, 50, 60]).tolist() == [
        "A", "B", "C", "D", None]
    assert classify([55], [55], config=ModelConfig(capability_cutoff=60)).tolist() == ["C"]
    assert "broms" in type_description("A", "sv") and "brake" in type_description("A", "en")
