"""Build step: the user guide travels with the installed package.

`docs/guide.md` stays the guide's one source (the README links it, the screenshots
tool writes its images beside it). A wheel only carries `caleol/`, so building it
copies the guide, the documents it links to and its screenshots into
`caleol/resources/guide/`, where the « Aide » window (F1) finds them offline.
Everything else is declared in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
GUIDE_FILES = ("guide.md", "csv-columns.md", "organisation-toml.md",
               "exemple-organisation.toml")


class BuildWithGuide(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "caleol" / "resources" / "guide"
        (target / "screenshots").mkdir(parents=True, exist_ok=True)
        for name in GUIDE_FILES:
            source = ROOT / "docs" / name
            if source.is_file():
                shutil.copyfile(source, target / name)
        for image in sorted((ROOT / "docs" / "screenshots").glob("*.png")):
            shutil.copyfile(image, target / "screenshots" / image.name)


setup(cmdclass={"build_py": BuildWithGuide})
