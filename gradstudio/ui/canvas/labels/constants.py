"""The numbers chip placement by search works with: where along a wire a chip may
sit, how far from it, what overlapping costs, and how far a chip reaches."""

SPOTS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.1, 0.9)
GAPS = (5.0, 14.0, 26.0, 40.0, 56.0)
# Where the chip sits against its anchor point on the wire: centred over it, or
# off to one side (beside a steep wire the room is above-right or above-left).
ALIGNS = (0.5, 0.0, 1.0)
CELL = 160.0
# A chip grown by this much holds a sample of any wire whose 7 px stroke touches it:
# half the stroke, plus half the distance between samples, plus a hair.
WIRE_MARGIN = 3.5 + 4.0 / 2 + 0.01
NODE_COST, CHIP_COST, WIRE_COST = 10.0, 5.0, 3.0  # what overlapping each one costs a spot
# How far a chip can lie from its wire's box: its width or height (lines are
# elided at 320 px, and two or three lines are less high than that), plus a gap.
CHIP_REACH = (320.0 + 10.0 + GAPS[-1],) * 2
# A wire's samples go in runs of this many, each with a box around it: a long wire
# that passes far from a chip costs one box test per run, not one per sample.
RUN = 16
BLOCK = 8 * RUN  # runs are looked at only inside blocks of samples found near

