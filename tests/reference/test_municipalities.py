"""Reference data: SCB's 290 municipalities and 21 counties, custom groups."""

import pytest

from dimios_lib.errors import GroupsError, UnknownReferenceError
from dimios_lib.reference.municipalities import (
    counties,
    load_groups,
    municipalities,
    municipality_names,
    resolve_group,
)


def test_reference_list_is_complete_and_keeps_leading_zeros():
    m = municipalities()
    assert len(m) == 290
    assert m["municipality_code"].str.fullmatch(r"\d{4}").all()
    assert (m["municipality_code"].str[:2] == m["county_code"]).all()
    assert m.loc[m.municipality_code == "0114", "municipality_name"].item() == "Upplands Väsby"
    assert len(counties()) == 21
    assert counties()["n_municipalities"].sum() == 290


def test_packaged_groups():
    groups = load_groups()
    assert municipality_names(groups["mora-orsa-alvdalen"].members) == ["Mora", "Orsa", "Älvdalen"]
    gr = groups["goteborgsregionen"]
    assert len(gr.members) == 13
    assert "Öckerö" in municipality_names(gr.members)


def test_resolve_county_and_list():
    dalarna = resolve_group("county:20")
    assert len(dalarna.members) == 15 and "2062" in dalarna.members
    assert resolve_group(["0114", "0180"]).members == ("0114", "0180")
    with pytest.raises(UnknownReferenceError):
        resolve_group("no-such-group")
    with pytest.raises(UnknownReferenceError):
        resolve_group(["9999"])


def test_bad_groups_file(tmp_path):
    path = tmp_path / "groups.yaml"
    path.write_text("groups:\n"
                    "  - id: a\n    name_sv: A\n    name_en: A\n    members: ['0114', '9999']\n"
                    "  - id: a\n    name_sv: B\n    name_en: B\n    members: [114]\n",
                    encoding="utf-8")
    with pytest.raises(GroupsError) as exc:
        load_groups(path)
    values = sorted(p.value for p in exc.value.problems if p.value)
    assert values == ["114", "9999", "a"]
