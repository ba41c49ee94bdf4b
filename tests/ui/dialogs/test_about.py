"""« À propos » shows every library and data caleol ships, from `caleol.shipped`.

It lacked tzdata, tomli-w, pillow, cryptography, pyhanko-certvalidator, the territory
dataset and the sRGB profile (tests/test_shipped.py checks the list itself against the
installed dependencies).
"""

from __future__ import annotations

import importlib.metadata

from caleol import shipped
from caleol.ui.dialogs.about import NOT_INSTALLED, AboutDialog


def _rows(model) -> dict[str, tuple[str, str]]:
    return {model.index(r, 0).data(): (model.index(r, 1).data(), model.index(r, 2).data())
            for r in range(model.rowCount())}


def test_every_shipped_library_and_data_is_shown_with_its_licence(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    libraries = _rows(dialog.model)
    for label in ("tzdata", "tomli-w", "pillow", "cryptography", "pyhanko-certvalidator"):
        assert label in libraries, label
    assert libraries["tzdata"] == (importlib.metadata.version("tzdata"), "Apache-2.0")
    assert libraries["Python"][1] == "PSF-2.0"
    for library in shipped.LIBRARIES:
        if library.direct:  # always shown, installed or not
            assert libraries[library.label][1] == library.licence
            assert libraries[library.label][0] != NOT_INSTALLED
    assert libraries["aiohttp"][1] == "Apache-2.0 AND MIT"  # what certvalidator pulls in
    data = _rows(dialog.data_model)
    assert [*data] == [d.label for d in shipped.DATA]
    territory = data["Communes, EPCI et départements (@etalab/decoupage-administratif)"]
    assert territory[0].startswith("6.0.0, données du 9 mars 2026")
    assert territory[1] == "Licence Ouverte 2.0 (Etalab)"
    assert data["Profil de couleur sRGB (icc-profiles-free)"] == ("2.0.1+dfsg-1.1", "Zlib")
