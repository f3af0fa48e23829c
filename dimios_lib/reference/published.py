"""Published figures the reports hold results against: SKR's national maturity baseline (48 %)
and goal (55 %), and the Modig programme's published totals and outcome shares.
"""

from __future__ import annotations

import copy

_PUBLISHED_MODIG = {
    "programme": "Modig – Mer omsorg med digital teknik",
    "organiser": "Göteborgsregionen (GR)",
    "funder": "Europeiska socialfonden (ESF)",
    "group_id": "modig",
    "municipalities": ("1440", "1401", "1482", "1481", "1402", "1415", "1419"),
    "kick_off": "2019-09",
    "ended": "2021-06",
    "people_trained": 3513,
    "training_hours": 30605,
    "ambassadors_per_municipality": (2, 10),
    "ambassadors_total_at_least": 30,
    "planned_trainees_per_ambassador": 36,
    "shares": {
        "changed_routine": {
            "group": "manager", "share": 0.70,
            "published_sv": "70 procent av cheferna som deltog i projektet har förändrat en eller "
                            "flera rutiner till ett uttalat digitalt eller mobilt arbetssätt"},
        "lead_digital_workplace": {
            "group": "manager", "share": 0.75,
            "published_sv": "75 procent av cheferna eller arbetsledarna uppger att de har stärkt "
                            "sina kunskaper i att leda en digitaliserad arbetsplats"},
        "better_digital_skills": {
            "group": "staff", "share": 0.60,
            "published_sv": "60 procent av baspersonalen har stärkt sina kunskaper om digitala "
                            "verktyg eller sin kompetens i att arbeta digitalt"},
    },
    "not_published": ("the figures per municipality, role or month; the number of respondents "
                      "behind the shares; any before/after competence measurement"),
    "sources": (
        {"what": "people trained, training hours, the 70/75/60 % shares, end in June 2021",
         "title": "Slutrapport från Projekt Modig (Göteborgsregionen)",
         "url": "https://goteborgsregionen.se/kunskapsbank/"
                "slutrapportfranprojektmodig.5.58e4a3c117c119ce85b2df40.html"},
        {"what": "two to ten ambassadors per municipality appointed at the start; ESF funding; "
                 "home care and housing support first",
         "title": "Modig – Mer omsorg med digital teknik (Göteborgsregionen, project page)",
         "url": "https://goteborgsregionen.se/projekt/2019-04-01-modig---mer-omsorg-med-"
                "digital-teknik"},
        {"what": "kick-off on 5 September 2019; just over 30 ambassadors, each to train 36 "
                 "colleagues on average",
         "title": "Digitalisering och förändring i fokus på Modigs uppstartskonferens (GR, "
                  "2019-09-18)",
         "url": "https://goteborgsregionen.se/GR/toppmenyn/om-goteborgsregionen/nyheter--press/"
                "nyheter/2019-09-18-digitalisering-och-forandring-i-fokus-pa-modigs-"
                "uppstartskonferens.html"},
        {"what": "Sweco's evaluation, autumn 2020: the ambassadors and the volume of training "
                 "were decisive",
         "title": "”Modig var på rätt plats vid rätt tidpunkt” (GR, 2021-02-19)",
         "url": None},
    ),
}


def published_modig() -> dict:
    """Modig's published figures and their sources (a fresh copy; nothing else is published).

    Returns
    -------
    dict
        ``people_trained`` (3513), ``training_hours`` (30605), ``ambassadors_per_municipality``
        ((2, 10)), ``ambassadors_total_at_least`` (30: "drygt 30"),
        ``planned_trainees_per_ambassador`` (36, the plan at the kick-off), ``shares``
        (question → ``group``, ``share``, the published Swedish sentence), ``municipalities``
        (SCB codes, as the ``modig`` group), ``kick_off``/``ended`` (months), ``not_published``
        and ``sources`` (title, url, what each source gives). Source: Göteborgsregionen's final
        report of the project and its project page and news items (see ``sources``).

    Examples
    --------
    >>> p = published_modig()
    >>> p["people_trained"], p["training_hours"], p["shares"]["changed_routine"]["share"]
    (3513, 30605, 0.7)
    """
    return copy.deepcopy(_PUBLISHED_MODIG)


PUBLISHED_BASELINE = 48.0  # SKR project baseline, national maturity (domain brief §1)
PUBLISHED_GOAL = 55.0      # SKR project goal by 2023
