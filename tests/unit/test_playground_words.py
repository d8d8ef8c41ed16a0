"""The playground's words (glnn/web/playground_words.py): each explained control's sentences carry the numbers of
glnn's theory (not copies), each "try this" link is a whole state the page reads, and each figure is the
gallery's figure of that idea."""
from urllib.parse import unquote

import pytest

from glnn.article import figures
from glnn.model import theory
from glnn.web import playground, playground_words
from glnn.web.tables import HASH_NAMES

WORDS = {w["control"]: w for w in playground_words.words(playground.state_hash)}
# the idea each control explains, as the figure's title says it
TITLES = {"depth": "Adding layers", "width": "Adding width", "activation": "tanh and relu",
          "scale": "Weight scale", "extent": "Input scale", "time": "Seven dimensions, one slice at a time"}


def test_the_explained_controls_are_the_issues_six():
    assert set(WORDS) == set(TITLES)


@pytest.mark.parametrize("control", sorted(TITLES))
def test_each_links_its_figure_and_whole_states(control):
    w = WORDS[control]
    assert figures.BY_NUMBER[w["figure"]].title == TITLES[control]
    assert 1 <= w["text"].count(". ") + 1 <= 3 and len(w["text"]) < 420, w["text"]   # one or two sentences
    assert w["tries"]
    names = {n for _, n in HASH_NAMES}
    for t in w["tries"]:
        words = t["hash"].lstrip("#").split("&")
        given = {x.split("=", 1)[0] for x in words}
        assert given <= names, given - names
        # a whole state: every word of the network and view (features and lineage only when not the plain ones)
        assert names - given <= {"features", "bias-scale", "probe", "lineage"}, names - given


def test_the_numbers_are_glnns_theory():
    def g(x):
        return f"{x:.3g}"
    for width in (10, 30, 120):
        assert g(theory.critical_amount("tanh", "uniform", width, None)) in WORDS["width"]["text"]
    for name in ("tanh", "sin", "gaussian", "softsign"):
        assert g(theory.critical_amount(name, "uniform", 30, None)) in WORDS["activation"]["text"]
    edge = [t for t in WORDS["scale"]["tries"] if t["label"] == "on the edge"][0]["hash"]
    scale = float(unquote(edge.split("scale=")[1].split("&")[0]))
    assert scale == theory.critical_amount("tanh", "uniform", 30, None)
    assert "does not add relu regions (Hanin & Rolnick 2019)" in WORDS["depth"]["text"]


def test_the_page_carries_the_words_the_article_and_its_gallery():
    from glnn import Network, View
    from glnn.io.recipe import Recipe

    recipe = Recipe(Network(depth=2, width=3), View(8, 8), "rgb")
    spec = playground.playground_spec(recipe, gallery="index.html")
    assert spec["words"]["gallery"] == "index.html" and spec["words"]["article"].startswith("https://")
    assert [w["control"] for w in spec["words"]["controls"]] == list(WORDS)
    assert playground.playground_spec(recipe)["words"]["gallery"] is None   # a page alone: no gallery beside it
