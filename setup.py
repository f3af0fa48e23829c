"""Build configuration that pyproject.toml cannot express.

* The report notebooks live in ``notebooks/`` (where JupyterLab users open them) and are shipped
  inside the package as ``dimios_lib.notebooks``, so an installed package renders reports from
  any folder.
* The message catalogs (``dimios_lib/text/locale/<lang>/LC_MESSAGES/dimios.po``) are compiled to
  ``dimios.mo`` when the package is built: into the build output, and in an editable install
  next to the ``.po`` in the source tree (git-ignored). Babel is a build requirement for this
  (pyproject.toml). See docs/text.md.
"""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

LOCALE = Path("dimios_lib", "text", "locale")


class build_py_with_catalogs(build_py):
    """``build_py`` that also compiles every ``.po`` catalog to ``.mo``."""

    def run(self):
        super().run()
        for po, mo in self._catalogs():
            self._compile(po, mo)

    def _catalogs(self):
        source = Path(self.get_package_dir("dimios_lib")) / "text" / "locale"
        target = source if self.editable_mode else Path(self.build_lib) / LOCALE
        for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
            yield po, target / po.relative_to(source).with_suffix(".mo")

    def _compile(self, po: Path, mo: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with open(po, "rb") as fh:
            catalog = read_po(fh)
        mo.parent.mkdir(parents=True, exist_ok=True)
        with open(mo, "wb") as fh:
            write_mo(fh, catalog)
        self.announce(f"compiled {po} -> {mo}", level=2)

    def get_outputs(self, include_bytecode=True):
        outputs = super().get_outputs(include_bytecode)
        if not self.editable_mode:
            outputs += [str(mo) for _, mo in self._catalogs()]
        return outputs


setup(
    packages=find_packages(include=["dimios_lib", "dimios_lib.*"]) + ["dimios_lib.notebooks"],
    package_dir={"dimios_lib.notebooks": "notebooks"},
    package_data={
        "dimios_lib": ["data/*.csv", "data/*.yaml", "data/maps/*.json", "text/locale/*/LC_MESSAGES/*.po",
                       "text/locale/*/LC_MESSAGES/*.mo"],
        "dimios_lib.notebooks": ["*.ipynb"],
    },
    cmdclass={"build_py": build_py_with_catalogs},
)
