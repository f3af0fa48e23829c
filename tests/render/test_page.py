"""The page rules every shared report keeps (check_html)."""


from dimios_lib.render.page import CSS, check_html

GOOD = ('<!DOCTYPE html><html lang="sv"><head><meta name="viewport" '
        'content="width=device-width, initial-scale=1"><title>T</title></head><body><h1>T</h1>'
        '<h2>A</h2><h3>B</h3><img src="data:image/png;base64,AA" alt="x">'
        '<figure><svg viewBox="0 0 10 10" width="100%" role="img"><title>Alt</title>'
        '<text x="1" y="1">57,5 %</text></svg><div class="table-scroll"><table><tr><th>h</th>'
        "</tr></table></div></figure></body></html>")


def test_html_checker_accepts_a_good_page_and_names_each_broken_rule():
    assert check_html(GOOD, "sv") == []
    bad = (GOOD.replace('lang="sv"', 'lang="en"').replace("<h3>B</h3>", "<h4>B</h4><h1>X</h1>")
           .replace('alt="x"', "")
           + '<script src="https://cdn.example.org/x.js"></script><p>/home/anna/data.csv</p>')
    problems = "\n".join(check_html(bad, "sv", forbidden=("resp01",)))
    for expected in ("<html lang>", "2 <h1>", "jumps from h2 to h4", "alt text",
                     "network reference", "local file path"):
        assert expected in problems
    assert check_html(GOOD + "resp01", "sv", forbidden=("resp01",))


def test_rules_for_phones_zoom_and_charts():
    def problems(html, lang="sv"):
        return "\n".join(check_html(html, lang))

    assert "viewport" in problems(GOOD.replace('name="viewport"', 'name="x"'))
    assert "no viewBox" in problems(GOOD.replace(' viewBox="0 0 10 10"', ""))
    assert "not width=100%" in problems(GOOD.replace('width="100%"', 'width="640"'))
    assert "no <title>" in problems(GOOD.replace("<title>Alt</title>", ""))
    assert "without the table" in problems(GOOD.replace("<figure>", "<figure><svg viewBox='0 0 1 1'"
                                                        " width='100%'><title>a</title></svg>"
                                                        "</figure><figure>"))
    assert "outside a scroll box" in problems(GOOD.replace('class="table-scroll"', ""))
    assert "fixed width" in problems(GOOD.replace("<h2>A</h2>", '<h2 style="width: 540px">A</h2>'))
    assert "fixed width" in problems(GOOD.replace("<title>T</title>",
                                                  "<title>T</title><style>p{min-width:400px}</style>"))
    assert "fixed width" not in problems(GOOD.replace("<h2>A</h2>",
                                                      '<h2 style="max-width: 540px">A</h2>'))
    assert "decimal point" in problems(GOOD.replace("57,5 %", "57.5 %"))
    assert "decimal point" not in problems(GOOD.replace("57,5 %", "57.5%"), "en")
    assert "maj 24" not in problems(GOOD.replace("57,5 %", "maj 24"))


def test_the_page_css_fixes_no_width_over_320_px_and_prints_on_a4():
    assert check_html(GOOD.replace("<title>T</title>", f"<title>T</title><style>{CSS}</style>"),
                      "sv") == []
    assert "size: A4" in CSS and "@top-left" in CSS and "counter(pages)" in CSS
