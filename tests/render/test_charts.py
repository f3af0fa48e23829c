"""The SVG charts and maps: colours with enough contrast, Swedish number formats in the text,
labels that keep off the data, gaps for missing rounds, maps from the packaged boundaries, and
the CSV download that Swedish Excel opens."""

import math
import re
from urllib.parse import unquote

import pandas as pd
import pytest

from dimios_lib.render import blocks, charts, maps, svg
from dimios_lib.render.page import check_html


def _texts(markup: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", markup)


def test_every_data_colour_has_3_to_1_contrast_against_the_background():
    colours = (list(svg.COLOURS.values()) + svg.SERIES + svg.SEQUENTIAL
               + list(svg.TYPE_COLOURS.values()))
    low = {c: round(svg.contrast(c), 2) for c in colours if svg.contrast(c) < 3}
    assert low == {}
    assert svg.contrast("#ffffff") == pytest.approx(1.0)
    assert svg.contrast("#777777") == pytest.approx(4.48, abs=0.01)  # WCAG's own example
    # the heat-map tints keep dark text readable (4.5:1) at their strongest
    for gap in (-30, -5, 0.5, 30):
        assert svg.contrast("#1a1a1a", svg.tint(gap) or "#ffffff") >= 4.5


def test_swedish_charts_write_decimal_commas_and_short_round_labels():
    rows = [charts.Row("Öppna data", 57.46, 50.1, 64.9, [55.25]),
            charts.Row("Skugg-IT", 42.5, 40.0, 45.0, [float("nan")])]
    refs = [charts.Ref("Riket", "diamond", svg.COLOURS["national"])]
    wide, narrow = charts.dot_rows(rows, refs, lang="sv", self_label="Ale", scale=(30, 70),
                                   decimals=1)
    texts = _texts(wide.html("alt")) + _texts(narrow.html("alt"))
    assert "57,5\xa0%" in texts and not any(re.search(r"\d\.\d", x) for x in texts)
    series = [charts.Series("Ale", [40.5, float("nan"), 41.25], svg.COLOURS["self"])]
    line = charts.line_chart(["2021-11", "2022-05", "2022-11"], series, lang="sv",
                             scale=(40, 41.5)).html("alt")
    texts = _texts(line)
    assert "nov 21" in texts and "maj 22" in texts and "40,5\xa0%" in texts
    assert line.count("<polyline") == 0  # two values with a gap between: no line across it
    page = f'<html lang="sv"><head><meta name="viewport" content="width=device-width">' \
           f"</head><body><h1>x</h1><figure>{line}<div class=\"table-scroll\"><table><tr><th>a" \
           f"</th></tr></table></div></figure></body></html>"
    assert check_html(page, "sv") == []


def test_a_line_is_drawn_only_between_rounds_with_values():
    s = charts.Series("x", [40, 41, float("nan"), 43, 44], svg.COLOURS["self"])
    out = charts.line_chart(["2021-11", "2022-05", "2022-11", "2023-05", "2023-11"], [s],
                            lang="en", scale=(30, 50)).html("alt")
    assert out.count("<polyline") == 2


def test_end_labels_never_overlap():
    series = [charts.Series(f"Kommun {k}", [50.0 + k * 0.1], svg.SERIES[k]) for k in range(5)]
    out = charts.line_chart(["2024-05"], series, lang="sv", scale=(40, 60), end_labels=True,
                            show_legend=False).html("alt")
    ys = sorted(float(y) for y, text in re.findall(r'<text x="[^"]+" y="([^"]+)"[^>]*>(Kommun'
                                                   r" \d)</text>", out))
    assert len(ys) == 5 and all(b - a >= 12.9 for a, b in zip(ys, ys[1:]))


def test_dot_rows_keep_labels_in_their_own_column():
    rows = [charts.Row("Ett mycket långt namn på en förmåga som inte får täcka data", 90, 85, 95)]
    wide, _ = charts.dot_rows(rows, [], lang="sv", self_label="x", scale=(0, 100))
    label_x = [float(x) for x, t in re.findall(r'<text x="([^"]+)"[^>]*>([^<]*)</text>',
                                                wide.html("a")) if "långt" in t or "täcka" in t]
    circles = [float(x) for x in re.findall(r'<circle cx="([^"]+)"', wide.html("a"))]
    assert max(label_x) < 20 and circles[-1] > 235  # labels left of the plot area (the last
    # circle is the data point, the first the legend's)


def test_choropleth_hatches_municipalities_without_data_and_names_them():
    names = {"1883": "Karlskoga", "1880": "Örebro", "0114": "Upplands Väsby"}
    out = maps.choropleth({"1883": 57.5, "1880": 44.0}, lang="sv", alt="Karta", no_data="inga data",
                          names=names)
    assert "<title>Upplands Väsby: inga data</title>" in out and 'fill="url(#nodata)"' in out
    assert "<title>Karlskoga: 58\xa0%</title>" in out and "inga data" in _texts(out)
    assert not any(re.search(r"\d\.\d", x) for x in _texts(out))


def test_county_map_marks_the_municipality_and_its_peers():
    out = maps.county_map(["1880", "1883", "1884"], focus="1883", peers=["1880"],
                          names={"1880": "Örebro", "1883": "Karlskoga", "1884": "Nora"}, lang="sv",
                          alt="Karta", legend=["Karlskoga", "Örebro län", "Övriga"])
    assert out.count("<path") == 3 and svg.COLOURS["self"] in out and svg.COLOURS["peer"] in out
    assert 'viewBox="' in out and "<title>Karta</title>" in out


def test_the_csv_download_opens_right_in_swedish_excel():
    uri = blocks.csv_data_uri(pd.DataFrame({"Kommun": ["Åre"], "Värde": [57.25]}))
    assert uri.startswith("data:text/csv;charset=utf-8,") and "/" not in uri[5:].split(",", 1)[1]
    text = unquote(uri.split(",", 1)[1])
    assert text == "\ufeffKommun;Värde\r\nÅre;57,25\r\n"


def test_a_chart_block_carries_its_table_and_download():
    b = blocks.chart('<svg viewBox="0 0 1 1" width="100%"><title>a</title></svg>', "a", "cap",
                     pd.DataFrame({"x": ["1"]}), data_caption="Data", filename="f.csv")
    assert "<figure" in b.html and "<table" in b.html and 'download="f.csv"' in b.html


def test_ticks_are_round_and_cover_the_range():
    assert charts.tick_label(2.5, "sv", False) == "2,5" and svg.ticks(0, 1, 4)[-1] == 1
    assert all(math.isclose(t % 10, 0) for t in svg.ticks(0, 100))
