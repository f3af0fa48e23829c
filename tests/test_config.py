"""The model and study configurations reject nonsense, listing every problem."""


import pytest

from dimios_lib.config import ModelConfig, StudyConfig
from dimios_lib.errors import ConfigError


def test_config_rejects_nonsense():
    with pytest.raises(ConfigError):
        ModelConfig(scale_min=6, scale_max=1)
    with pytest.raises(ConfigError):
        ModelConfig(min_group_size=0)


def test_inference_parameters_are_checked():
    with pytest.raises(ConfigError) as info:
        ModelConfig(interval_method="bca", item_variance_prior_df=-1, small_area_variance="x",
                    small_area_min_areas=2, change_min_linked=1, change_test="welch")
    text = str(info.value)
    for name in ("interval_method", "item_variance_prior_df", "small_area_variance",
                 "small_area_min_areas", "change_min_linked", "change_test"):
        assert name in text
    assert ModelConfig().interval_method == "jackknife_t"


def test_study_config_is_checked():
    with pytest.raises(ConfigError) as info:
        StudyConfig(ci_level=1.2, bootstrap_resamples=10, min_item_share=0)
    text = str(info.value)
    assert "ci_level" in text and "bootstrap_resamples" in text and "min_item_share" in text
    with pytest.raises(ConfigError, match="unknown study parameters"):
        StudyConfig().with_(sed=1)
    assert StudyConfig().min_group_size == 5
