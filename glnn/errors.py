"""The one exception type for bad input: the CLI turns it into a one-line error and exit status 2."""


class GlnnError(ValueError):
    """Invalid user input (a flag, a size, a file): the message is one line, shown as is."""


class GLUnavailable(RuntimeError):
    """No OpenGL context could be made (no GPU, no display, no EGL)."""
