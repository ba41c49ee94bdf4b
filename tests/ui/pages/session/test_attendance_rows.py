"""The attendance tab keeps its members' rows when the same members come back (issue 19):
opening a séance rebuilt a dozen rows of widgets, ~15 ms of the 100 ms an opening may
take, though the commission's members are those of the séance shown before."""

from __future__ import annotations

from dataclasses import replace

from ui.pages.session.test_session_fits import quorum, twelve_members

from caleol.ui.pages.session.attendance_panel import AttendancePanel


def test_the_same_members_keep_their_rows_with_the_new_statuses(qtbot) -> None:
    panel = AttendancePanel()
    qtbot.addWidget(panel)
    panel.show()
    members = twelve_members()
    panel.set_attendance(members, quorum(), None, "", writable=True)
    widgets = [row.widget for row in panel._rows]
    panel.errors.show({"member_3": "Pouvoir à un membre absent."})
    changed = list(members)
    changed[2] = replace(members[2], status="represented", proxy_member_id=1)
    changed[4] = replace(members[4], status="absent")
    refreshed: list[int] = []
    panel.row_for(1).status.currentIndexChanged.connect(refreshed.append)
    panel.set_attendance(tuple(changed), quorum(), 1, "Mme Catherine Laurent-Desmoulins",
                         writable=False)
    assert [row.widget for row in panel._rows] == widgets  # kept, not built again
    assert [row.change().status for row in panel._rows] == [m.status for m in changed]
    assert panel.row_for(3).change().proxy_member_id == 1
    assert not panel.row_for(3).proxy_line.isHidden()
    assert panel.row_for(3).error.isHidden()  # the old refusal is gone
    assert not panel.row_for(5).status.isEnabled()  # read-only as asked
    assert panel.president.findData(5) == -1  # absent: no longer offered to preside
    assert refreshed == []
    assert "10 / 5" not in panel.quorum_label.text()  # recounted: 9 present, 1 represented

    renamed = (replace(members[0], name="Mme Catherine Laurent"), *members[1:])
    panel.set_attendance(renamed, quorum(), None, "", writable=True)
    assert panel.row_for(1).widget not in widgets  # another member list: rows rebuilt
    assert panel.row_for(1).name.text() == "Mme Catherine Laurent"
