"""The one exception type for bad input: the CLI turns it into a one-line error and exit status 2."""


class GlnnError(ValueError):
    """Invalid user input (a flag, a size, a file): the message is one line, shown as is."""


class TooSmall(GlnnError):
    """A picture too small for what it shows (a sheet of tiles): a larger one of the same request may fit."""


class GLUnavailable(RuntimeError):
    """No OpenGL context could be made (no GPU, no display, no EGL)."""


def printable(text: str) -> str:
    """`text` safe for a terminal line: control and format characters (ESC sequences from a hostile recipe,
    newlines, bidirectional overrides) are written as escapes (\\x1b, \\n, \\u202e); the rest as is."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in str(text))
