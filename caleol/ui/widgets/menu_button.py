"""A button that opens a menu says so by « ▾ » in its text, once."""

from __future__ import annotations

# Qt draws its own arrow beside a button's menu: after « Documents ▾ » it read « ▾ ▾ »,
# and on a tool button it was squeezed into the last letter (« Export CSV˅ »).
NO_MENU_ARROW = ("QPushButton::menu-indicator, QToolButton::menu-indicator "
                 "{ image: none; width: 0px; }")
