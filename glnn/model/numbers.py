"""Numbers as glnn writes them (commands, the lineage's URL text): the shortest digits that read back as the same
float, laid out as JavaScript's String(v) lays them out (glnn/io/command.py re-exports number(); its doc says more).
Pure: the model's lineage text (glnn/model/lineage.py) writes its strengths with it too."""
from __future__ import annotations

from decimal import Decimal
from numbers import Integral, Real


def number(v) -> str:
    """A number as a command writes it: whole numbers (int) as digits; floats as the shortest text that reads back
    as the same float, laid out as JavaScript's String(v) lays it out, with ".0" after a whole float."""
    if isinstance(v, bool) or not isinstance(v, Real):
        raise TypeError(f"not a number: {v!r}")
    if isinstance(v, Integral):
        return str(int(v))
    f = float(v)
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueError(f"a command's numbers are finite, not {f!r}")
    sign, digits, exp = Decimal(repr(f)).as_tuple()   # repr: the shortest digits that round-trip
    text = "".join(map(str, digits)).rstrip("0") or "0"
    exp += len(digits) - len(text)                     # f = text * 10^exp
    if text == "0":
        body = "0"
    else:
        k, n = len(text), len(text) + exp              # ECMAScript Number::toString's k and n
        if k <= n <= 21:
            body = text + "0" * (n - k)
        elif 0 < n <= 21:
            body = text[:n] + "." + text[n:]
        elif -6 < n <= 0:
            body = "0." + "0" * -n + text
        else:
            e = n - 1
            body = (text[0] + ("." + text[1:] if k > 1 else "")) + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    body = body if ("." in body or "e" in body) else body + ".0"
    return ("-" if sign else "") + body
