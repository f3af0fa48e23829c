"""The Fay–Herriot model against R's sae package: the milk-expenditure example (Arora & Lahiri
1997; sae's data(milk)), eblupFH(yi ~ as.factor(MajorArea), SD^2, method = "REML") and mseFH."""


import numpy as np
import pytest

from dimios_lib.stats.smallarea import fay_herriot

# data(milk): yi, SD and MajorArea of the 43 small areas.
MILK = np.array([
    (1.099, 0.163, 1), (1.075, 0.080, 1), (1.105, 0.083, 1), (0.628, 0.109, 1),
    (0.753, 0.119, 1), (0.981, 0.141, 1), (1.257, 0.202, 1), (1.095, 0.127, 2),
    (1.405, 0.168, 2), (1.356, 0.178, 2), (0.615, 0.100, 2), (1.460, 0.201, 2),
    (1.338, 0.148, 2), (0.854, 0.143, 2), (1.176, 0.149, 3), (1.111, 0.145, 3),
    (1.257, 0.135, 3), (1.430, 0.172, 3), (1.278, 0.137, 3), (1.292, 0.163, 3),
    (1.002, 0.125, 3), (1.183, 0.247, 3), (1.044, 0.140, 3), (1.267, 0.171, 3),
    (1.193, 0.106, 3), (0.791, 0.121, 4), (0.795, 0.121, 4), (0.759, 0.259, 4),
    (0.796, 0.106, 4), (0.565, 0.089, 4), (0.886, 0.225, 4), (0.952, 0.205, 4),
    (0.807, 0.119, 4), (0.582, 0.067, 4), (0.684, 0.106, 4), (0.787, 0.126, 4),
    (0.440, 0.092, 4), (0.759, 0.132, 4), (0.770, 0.100, 4), (0.800, 0.113, 4),
    (0.756, 0.083, 4), (0.865, 0.121, 4), (0.640, 0.129, 4)])

# sae: FH$fit$refvar, FH$fit$estcoef, FH$eblup and mseFH(...)$mse (first and last areas).
R_REFVAR = 0.01855022
R_BETA = [0.9681890, 0.1327801, 0.2269462, -0.2413011]
R_BETA_SE = [0.06936208, 0.10300072, 0.09232981, 0.08161707]
R_EBLUP = {0: 1.0219703, 1: 1.0476018, 3: 0.7608170, 10: 0.7852155, 36: 0.5298867,
           42: 0.6810870}
R_MSE = {0: 0.013460220, 1: 0.005372876, 3: 0.008541740, 10: 0.007694262, 36: 0.006404335,
         42: 0.009903626}


@pytest.fixture(scope="module")
def milk_fit():
    y, sd, major = MILK[:, 0], MILK[:, 1], MILK[:, 2].astype(int)
    x = np.column_stack([np.ones(len(y))] + [(major == k).astype(float) for k in (2, 3, 4)])
    return fay_herriot(y, sd ** 2, x)


def test_milk_against_sae(milk_fit):
    fh = milk_fit
    assert fh.converged
    assert fh.variance == pytest.approx(R_REFVAR, abs=5e-8)
    assert fh.beta == pytest.approx(R_BETA, abs=5e-7)
    assert fh.beta_se == pytest.approx(R_BETA_SE, abs=5e-8)
    for i, value in R_EBLUP.items():
        assert fh.estimate[i] == pytest.approx(value, abs=5e-7)
    for i, value in R_MSE.items():
        assert fh.mse[i] == pytest.approx(value, abs=5e-9)


def test_eblup_is_the_weighted_mean_of_direct_and_synthetic(milk_fit):
    fh = milk_fit
    y, d = MILK[:, 0], MILK[:, 1] ** 2
    gamma = fh.variance / (fh.variance + d)
    np.testing.assert_allclose(fh.estimate, gamma * y + (1 - gamma) * fh.synthetic)
    np.testing.assert_allclose(fh.shrinkage, d / (fh.variance + d))
    assert (fh.ci_high - fh.ci_low) == pytest.approx(2 * 1.959964 * np.sqrt(fh.mse), rel=1e-6)


def test_no_between_area_variance_means_full_shrinkage():
    # Direct estimates that vary less than their sampling variances allow: A = 0 and every
    # area gets the precision-weighted mean.
    y = np.array([50.0, 50.5, 49.5, 50.2, 49.8])
    fh = fay_herriot(y, np.full(5, 25.0))
    assert fh.variance == 0.0 and fh.converged
    np.testing.assert_allclose(fh.estimate, y.mean())
    np.testing.assert_allclose(fh.shrinkage, 1.0)


def test_bad_input_is_an_error():
    with pytest.raises(ValueError, match="positive sampling variances"):
        fay_herriot([1.0, 2.0, 3.0], [1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="more areas"):
        fay_herriot([1.0], [1.0])
