"""Fixtures of the command-line tests."""

import pytest

from dimios_lib.demo.responses import ROUNDS, generate_demo


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    data = generate_demo(rounds=ROUNDS[:2])
    data = data[data["municipality_code"].str.startswith(("14", "20"))]
    path = folder / "small.csv"
    data.to_csv(path, index=False, float_format="%.0f")
    return path
