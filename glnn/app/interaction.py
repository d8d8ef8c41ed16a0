"""The interaction constants: how far a key press or a scroll notch zooms, how fast time plays, when a view
draws reduced-resolution drafts. The one table for the window (glnn/app/controls.py, glnn/app/scheduler.py,
glnn/app/viewer.py) and the web page and notebook widget (glnn/web/webgl.py's page_spec() hands page_constants()
to glnn/web/glnn_view.js, which has no numbers of its own for these). Plain constants: no imports of glnn.
"""
from __future__ import annotations

import math
from typing import Dict

ZOOM_STEP = 2 ** 0.25           # + and - : the extent divided / multiplied by this (about 19% per press)
SCROLL_STEP = 2 ** 0.125        # one scroll notch of a mouse wheel: about 9%
WHEEL_NOTCH_PIXELS = 100        # the page: a mouse wheel's notch is a wheel event's deltaY of 100 pixels (Chromium)
WHEEL_NOTCH_LINES = 3           # ... or of 3 lines (Firefox); smaller deltas (trackpads) zoom in proportion
SCALE_STEP = 2 ** 0.125         # ] and [ (the window): the weight scale, about 9% per press
TIME_SPEED = 1.0                # radians of t per second while time plays
TIME_STEP = 2 * math.pi / 120   # . and , : one step of t (120 steps a period of the extra inputs)
DRAFT_BUDGET_S = 0.04           # a full frame slower than this: draw drafts while the user interacts
DRAFT_MAX_FACTOR = 16           # a draft pixel covers at most this many picture pixels a side (and at least 2)
FIRST_DRAFT = 8                 # the window, a network of unmeasured speed: a 1/8 draft measures it
BAND_BUDGET_S = 0.08            # the window refines the full picture in bands: a band plus the rest of its frame
                                # (painting, the HUD, the swap, as measured) about this long, so a key waits less
                                # than 100 ms
BAND_MIN_S = 0.025              # ... and a band at least this long, and twice the rest of the frame (under load)
SETTLE_S = 0.15                 # after the last change, this long before the full picture


def page_constants() -> Dict[str, float]:
    """What the page's and the widget's front end uses (the `interaction` entry of webgl.page_spec())."""
    return {"zoom_step": ZOOM_STEP, "scroll_step": SCROLL_STEP, "wheel_notch_pixels": WHEEL_NOTCH_PIXELS,
            "wheel_notch_lines": WHEEL_NOTCH_LINES, "time_speed": TIME_SPEED, "time_step": TIME_STEP,
            "draft_budget_s": DRAFT_BUDGET_S, "draft_max_factor": DRAFT_MAX_FACTOR, "settle_s": SETTLE_S}
