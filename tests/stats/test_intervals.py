"""Fast column quantiles against numpy's."""


import numpy as np


def test_column_quantiles_match_numpy(rng):
    from dimios_lib.stats.intervals import column_quantiles

    x = rng.normal(size=(1000, 7))
    x[rng.random(x.shape) < 0.1] = np.nan
    x[:, 3] = np.nan                       # a column without data
    x[:999, 5] = np.nan                    # a column with one value
    expected = np.full((2, 7), np.nan)
    ok = [j for j in range(7) if j != 3]
    expected[:, ok] = np.nanquantile(x[:, ok], [0.025, 0.975], axis=0)
    np.testing.assert_allclose(column_quantiles(x, (0.025, 0.975)), expected, rtol=0, atol=1e-12)
