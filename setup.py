"""Build configuration that pyproject.toml cannot express.

* The report notebooks live in ``notebooks/`` (where JupyterLab users open them) and are shipped
  inside the package as ``dimios_lib.notebooks``, so an installed package renders reports from
  any folder.
"""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["dimios_lib", "dimios_lib.*"]) + ["dimios_lib.notebooks"],
    package_dir={"dimios_lib.notebooks": "notebooks"},
    package_data={
        "dimios_lib": ["data/*.csv", "data/*.yaml"],
        "dimios_lib.notebooks": ["*.ipynb"],
    },
)
