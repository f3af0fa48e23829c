"""The item bank: the packaged provisional bank, a user's own bank, every problem at once."""

import pytest
from typer.testing import CliRunner

from dimios_lib.cli import app
from dimios_lib.errors import ItemBankError
from dimios_lib.reference.items import load_item_bank


def test_default_bank_matches_domain_brief(bank):
    items = bank.items
    assert len(items) == 26
    counts = items.groupby(["dimension", "category"], sort=False).size().to_dict()
    assert counts == {("capability", "Effektivitet"): 7, ("capability", "Innovation"): 6,
                      ("capability", "Balansering"): 5, ("legacy", "Organisation"): 2,
                      ("legacy", "Användare"): 2, ("legacy", "Teknik"): 4}
    assert sorted(items.loc[items["reverse"], "item_id"]) == ["TEK2", "TEK3"]
    assert bank.label("TEK2", "en") == "Shadow IT"
    assert bank.category_label("Användare", "en") == "Users"
    assert items["provenance"].str.contains("assumption").all()


def test_user_bank_of_thirty_items_loads(tmp_path):
    lines = ["item_id;dimension;category;reverse"]
    lines += [f"F{i};förmåga;Kat{i % 3};nej" for i in range(20)]
    lines += [f"A{i};arv;Arv{i % 2};{'ja' if i == 0 else 'nej'}" for i in range(10)]
    path = tmp_path / "bank30.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bank = load_item_bank(path)
    assert len(bank.items) == 30
    assert bank.version == "bank30.csv"
    assert set(bank.items["dimension"]) == {"capability", "legacy"}
    assert bank.items["reverse"].sum() == 1
    assert len(bank.categories) == 5


def test_bad_bank_reports_every_problem(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("item_id,dimension,category,reverse\n"
                    "X1,capability,Eff,false\n"
                    "X1,legacy,Org,false\n"        # duplicate id
                    "X2,culture,Org,false\n"       # unknown dimension
                    "X3,legacy,Eff,maybe\n",       # category in two dimensions, bad flag
                    encoding="utf-8")
    with pytest.raises(ItemBankError) as exc:
        load_item_bank(path)
    text = str(exc.value)
    problems = exc.value.problems
    assert len(problems) == 4
    assert "row 3, column 'item_id': value 'X1': duplicate item id (first on row 2)" in text
    assert "row 4, column 'dimension': value 'culture'" in text
    assert any(p.row == 5 and p.column == "category" for p in problems)
    assert any(p.row == 5 and p.column == "reverse" for p in problems)


def test_cli_items_csv_has_required_columns():
    result = CliRunner().invoke(app, ["items", "--format", "csv"])
    assert result.exit_code == 0
    header = result.output.splitlines()[0].split(",")
    assert header[:4] == ["item_id", "dimension", "category", "capability_sv"]
    assert {"item_id", "dimension", "category", "reverse"} <= set(header)
    assert len(result.output.strip().splitlines()) == 27
    assert "Användare" in result.output
