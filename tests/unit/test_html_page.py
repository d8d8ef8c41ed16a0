"""glnn/io/html_page.py, the one HTML page helper (the figures' gallery, the grid's page, the live page's inlined
spec and script): escaping, the skeleton, and nothing that could end a <script> early."""
import json

from glnn.io import html_page


def test_escape_covers_text_and_attributes():
    assert html_page.escape('<a href="x">Tom\'s & co</a>') == "&lt;a href=&quot;x&quot;&gt;Tom&#x27;s &amp; co&lt;/a&gt;"
    assert html_page.escape(3) == "3"


def test_a_page_has_its_title_style_and_body_once():
    text = html_page.page("a < b", "\nbody { color: red; }\n", "\n<h1>hi</h1>\n")
    assert text.startswith("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
    assert "<title>a &lt; b</title>" in text
    assert "<style>\nbody { color: red; }\n</style></head><body>\n<h1>hi</h1>\n</body></html>\n" in text
    assert text.count("<body>") == 1 and text.endswith("</html>\n")


def test_script_json_cannot_close_its_element_and_reads_back():
    data = {"a": "</script><script>alert(1)</script>", "b": [1.5, -0.0, 1e-7], "c": "<\\/"}
    text = html_page.script_json(data)
    assert "</" not in text
    assert json.loads(text) == data and " " not in html_page.script_json({"k": [1, 2]})


def test_script_text_cannot_close_its_element():
    assert "</script" not in html_page.script_text('const s = "</script>";')


def test_write_is_utf8(tmp_path):
    path = html_page.write(tmp_path / "p.html", html_page.page("π", "", "<p>é</p>"))
    assert path.read_bytes().decode("utf-8").count("π") == 1
