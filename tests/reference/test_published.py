"""Published figures the reports hold results against, with their sources."""


from dimios_lib.contracts.training import (
    QUESTIONS,
)
from dimios_lib.reference.municipalities import load_groups, municipality_names
from dimios_lib.reference.published import published_modig


def test_published_figures_and_sources():
    pub = published_modig()
    assert pub["people_trained"] == 3513 and pub["training_hours"] == 30605
    assert {q: s["share"] for q, s in pub["shares"].items()} == {
        "changed_routine": 0.70, "lead_digital_workplace": 0.75, "better_digital_skills": 0.60}
    assert set(pub["shares"]) == set(QUESTIONS)
    assert pub["ambassadors_per_municipality"] == (2, 10)
    assert pub["ambassadors_total_at_least"] == 30
    assert pub["municipalities"] == load_groups()["modig"].members
    assert municipality_names(pub["municipalities"]) == [
        "Ale", "Härryda", "Kungälv", "Mölndal", "Partille", "Stenungsund", "Tjörn"]
    assert all(s["title"] for s in pub["sources"])
    pub["people_trained"] = 0   # a copy: the constant cannot be changed by a caller
    assert published_modig()["people_trained"] == 3513
