"""Where a presentation's view may stop without cutting a node or chip in two
(present_uncut.uncut_start), on plain numbers: a view 100 wide, boxes by their
extents along its side."""

from __future__ import annotations

from gradstudio.ui.lecture.present_uncut import uncut_start


def test_a_view_that_cuts_nothing_stays():
    assert uncut_start(0, 100, [(10, 40), (120, 150), (-50, -20)], 5, 25) == 0


def test_a_box_cut_at_the_end_is_left_out_or_shown_whole_whichever_is_nearer():
    # (90, 120) cut at 100: out past the end at -15 (moved 15), whole at 25 (moved 25).
    assert uncut_start(0, 100, [(90, 120)], 5, 25) == -15
    assert uncut_start(0, 100, [(80, 102)], 5, 25) == 7  # whole: 2 + the gap
    # A box on the other side rules out the nearer: (-22, -5) would be cut at -15
    # (and shown whole from -27, too far).
    assert uncut_start(0, 100, [(90, 120), (-22, -5)], 5, 25) == 25


def test_the_steps_node_stays_whole_in_sight():
    # Leaving (90, 120) out would take the step's node (95, 110) out with it.
    assert uncut_start(0, 100, [(90, 120), (95, 110)], 5, 40, keep=(95, 110)) == 25


def test_no_frame_near_enough_keeps_the_cut():
    assert uncut_start(0, 100, [(60, 130)], 5, 25) == 0  # whole: 35 away; out: 45
    assert uncut_start(0, 100, [(-40, 140)], 5, 100) == 0  # wider than the view: out is 145 away
