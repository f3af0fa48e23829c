"""The report figures, one module per report, all inline SVG (:mod:`dimios_lib.render.svg`,
:mod:`dimios_lib.render.charts`, :mod:`dimios_lib.render.maps`):

``figs_municipality``  gap chart, trend with gaps, position among all municipalities
``figs_group``         ranking with intervals, trends (small multiples for many members)
``figs_national``      distribution, types by county, national trend, sectors
``figs_study``         before and after per municipality, difference-in-differences
``figs_followup``      the funnel and a KPI scorecard per municipality

Importing this module imports them all (the batch engine's warm kernels do, so a report's
first figure does not pay for the imports). A user's own matplotlib figure can still be shown
with :func:`dimios_lib.render.blocks.figure`.
"""

from __future__ import annotations

from . import figs_followup, figs_group, figs_municipality, figs_national, figs_study, maps
from .svg import COLOURS, SEQUENTIAL, SERIES, TYPE_COLOURS

__all__ = ["COLOURS", "SEQUENTIAL", "SERIES", "TYPE_COLOURS", "figs_followup", "figs_group",
           "figs_municipality", "figs_national", "figs_study", "maps"]
