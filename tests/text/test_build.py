"""The build compiles the message catalogs: ``build_py`` writes a ``.mo`` next to each ``.po`` in
the build output, and the compiled catalog says what the ``.po`` says."""


import gettext
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_build_py_compiles_every_catalog(tmp_path):
    subprocess.run([sys.executable, "setup.py", "-q", "build_py", "--build-lib", str(tmp_path)],
                   cwd=ROOT, check=True, capture_output=True)
    locale = tmp_path / "dimios_lib" / "text" / "locale"
    for lang, title in (("sv", "Digital mognad i X – Y"), ("en", "Digital maturity in X – Y")):
        messages = locale / lang / "LC_MESSAGES"
        assert (messages / "dimios.po").is_file()
        with open(messages / "dimios.mo", "rb") as fh:
            compiled = gettext.GNUTranslations(fh)
        assert compiled.gettext("mun.title").format(name="X", round="Y") == title
        assert compiled.ngettext("count.municipalities", "count.municipalities|plural", 2) == (
            "{n} kommuner" if lang == "sv" else "{n} municipalities")
