"""glnn bench's bad flags, in this process: one line, exit status 2, before anything is measured (the bench
itself: tests/system/test_bench.py)."""
import pytest

from cli_checks import one_line_error

BAD = [(["--budget", "-1"], "--budget"), (["--case", "27x30"], "--case"), (["--case", "27x30@0x5"], "--case"),
       (["--case", "axb@1x1"], "--case"), (["--case", "1x1@20000x20000"], "--case"),
       (["--kernels", "shared,fast"], "--kernels")]


@pytest.mark.parametrize("args,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bench_bad_flags(cli, tmp_path, args, message):
    status, out, err = cli("bench", *args)
    one_line_error(status, err, message)
    assert out == "" and list(tmp_path.iterdir()) == []
