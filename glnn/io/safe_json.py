"""JSON from files glnn did not necessarily write (recipes in pictures, a saved network's spec, the `auto` cache):
a leaf module (no glnn imports, no numpy). Parsing is bounded before it starts, so hostile text costs linear time and
little memory and fails with one ValueError (what json's own errors are), never RecursionError, OverflowError
or a huge integer:

- nesting deeper than MAX_DEPTH is refused by a linear scan of the raw text, before json parses it;
- a number literal longer than MAX_NUMBER_CHARS, or one that is not finite as a float (1e400), is refused;
- NaN, Infinity and -Infinity are refused (glnn never writes them).

What the values mean (types, ranges) is the caller's to check.
"""
from __future__ import annotations

import json
import math
import re
from itertools import accumulate

MAX_DEPTH = 32            # glnn's own JSON nests 5 deep (a grid recipe's cell's set's centre)
MAX_NUMBER_CHARS = 40     # a seed (< 2^63) has 19 digits; a float's repr at most 24 characters
# a string (or, unterminated, the rest of the text: json refuses it later); the pattern always matches where it
# starts, so the scan never goes back over the text (linear, whatever the input)
_STRINGS = re.compile(r'"(?:[^"\\]+|\\.)*(?:"|\\?\Z)', re.S)
_NON_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def nesting_depth(text: str) -> int:
    """The deepest nesting of [ and { in `text` (strings skipped): linear time, no recursion."""
    if text.count("[") + text.count("{") <= 1:
        return text.count("[") + text.count("{")
    brackets = _NON_BRACKETS.sub("", _STRINGS.sub("", text)).encode("ascii")
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} characters")
    return int(text)


def _float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number of {len(text)} characters")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value


def _constant(name: str):
    raise ValueError(f"{name} is not a number a glnn file may hold")


def dumps(value) -> str:
    """Compact JSON as glnn writes it (no NaN or infinity: a value that is not finite is a ValueError)."""
    return json.dumps(value, separators=(",", ":"), allow_nan=False)


def loads(text: str, max_depth: int = MAX_DEPTH):
    """json.loads with the limits above; ValueError (one line) for anything outside them or not JSON."""
    if nesting_depth(text) > max_depth:
        raise ValueError(f"nested more than {max_depth} deep")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:   # cannot happen after the depth check; kept as a guard
        raise ValueError(f"nested more than {max_depth} deep") from None
    except ValueError as e:
        raise ValueError(str(e).splitlines()[0] if str(e) else type(e).__name__) from None
