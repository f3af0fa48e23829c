"""The page rules every shared report keeps (check_html)."""


from dimios_lib.render.page import check_html

GOOD = ('<!DOCTYPE html><html lang="sv"><head><title>T</title></head><body><h1>T</h1>'
        '<h2>A</h2><h3>B</h3><img src="data:image/png;base64,AA" alt="x"><table><tr><th>h</th>'
        "</tr></table></body></html>")


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
