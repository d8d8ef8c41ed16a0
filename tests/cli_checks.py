"""What a bad command line must get, in every tier: exit status 2, exactly one line on stderr, no traceback."""


def one_line_error(status, err, message=None):
    """Assert the answer to a bad input; returns the line."""
    assert status == 2, (status, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    if message is not None:
        assert message in lines[0], lines[0]
    return lines[0]
