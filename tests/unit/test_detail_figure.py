"""Figure 24: detail per depth, measured and predicted, in the three phases (glnn/article/detail_figure.py)."""
from glnn.article import detail_figure
from glnn.model.view import View


def test_the_phases_show_in_the_curves():
    view = View(32, 32)
    chi, measured, predicted = detail_figure.curves(0.3, view)
    assert chi < 1 and measured[-1] < measured[1] / 5 and predicted[-1] < predicted[1] / 5
    chi, measured, predicted = detail_figure.curves(0.8, view)
    assert chi > 1.5 and measured[-1] > 5 * measured[1] and predicted[-1] > 5 * predicted[1]
    assert predicted[-1] / predicted[-2] == __import__("pytest").approx(chi ** 0.5, rel=1e-3)
    assert predicted[:2] == measured[:2]   # anchored at depths 1 and 2


def test_the_figure_draws():
    img = detail_figure.figure((360, 360), View(16, 16))
    assert img.size == (360, 360)
