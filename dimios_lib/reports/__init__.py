"""What each report says, computed: values and tables, no words and no HTML.

Each report module takes the loaded data and the report's parameters and returns a dataclass
that the notebook narrates (:mod:`dimios_lib.text`) and draws (:mod:`dimios_lib.render`). Every
table leaving this package is privacy-safe: groups below the minimum size are left out or
blanked, and no respondent-level value leaves it.

``data``          loading a report's inputs once per process (the demo when no path is given)
``municipality``  the municipality round report
``group``         the group comparison
``national``      the national overview
``study``         the before/after study report
``followup``      the programme follow-up (initiatives and training)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

__all__ = ["FollowupReport", "GroupReport", "MunicipalityReport", "NationalReport",
    "ReportData", "TrainingFollowup", "followup_report", "group_comparison",
    "groups_with_data", "load_data", "load_reference", "load_register", "load_study",
    "load_training",
    "municipality_report", "national_overview", "resolve_peers", "study_profile",
    "study_report", "training_followup"]
__getattr__, __dir__ = lazy_exports(__name__, {
    "ReportData": "data", "load_data": "data", "load_study": "data", "load_register": "data",
    "load_reference": "data",
    "load_training": "data",
    "MunicipalityReport": "municipality", "municipality_report": "municipality",
    "resolve_peers": "municipality",
    "GroupReport": "group", "group_comparison": "group", "groups_with_data": "group",
    "NationalReport": "national", "national_overview": "national",
    "study_report": "study", "study_profile": "study",
    "FollowupReport": "followup", "followup_report": "followup",
    "TrainingFollowup": "followup", "training_followup": "followup",
})

if TYPE_CHECKING:  # pragma: no cover
    from .data import (
        ReportData,
        load_data,
        load_reference,
        load_register,
        load_study,
        load_training,
    )
    from .followup import FollowupReport, TrainingFollowup, followup_report, training_followup
    from .group import GroupReport, group_comparison, groups_with_data
    from .municipality import MunicipalityReport, municipality_report, resolve_peers
    from .national import NationalReport, national_overview
    from .study import study_profile, study_report
