"""Every keyboard shortcut of the window does one thing."""

from collections import defaultdict

from PySide6.QtGui import QAction, QKeySequence


def test_no_two_actions_share_a_shortcut(window):
    owners = defaultdict(set)
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            if not key.isEmpty():
                owners[key.toString(QKeySequence.PortableText)].add(action.text().replace("&", ""))
    clashes = {key: names for key, names in owners.items() if len(names) > 1}
    assert not clashes
    assert owners["F9"] == {"Nudge Selected Input"}
