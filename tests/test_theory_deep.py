"""The theory panel shows the formulas of the deep settings that are on, and only those:
batch normalization, dropout, residual links, and the weight initialization in use."""
import pytest

from nnsim.core import Network
from nnsim.core.config import BN_MOMENTUM, INITS
from nnsim.lessons import theory
from nnsim.lessons.text import _, catalogue, set_language

BN = ("bn_mean", "bn_var", "bn_normalize", "bn_scale", "bn_running_mean", "bn_running_var", "bn_eval")


def shown(items):
    return [name for kind, content, *_ in items if kind == "formulas" for name in content]


def texts(items):
    return [content for kind, content, *_ in items if kind == "text"]


def test_a_plain_network_shows_no_deep_formulas():
    arch = Network((2, 8, 8, 2)).arch
    assert theory.deep_items("layers", arch, "auto") == []


@pytest.mark.parametrize("bn, drop, res", [((True, False, False), 0.0, False),
                                           (False, (0.0, 0.3, 0.0), False),
                                           (False, 0.0, True),
                                           ((False, True, True), (0.5, 0.0, 0.2), True)])
def test_each_setting_brings_its_own_formulas_and_names_its_layers(bn, drop, res):
    arch = Network((2, 6, 6, 6, 2), batch_norm=bn, dropout=drop, residual=res).arch
    items = theory.deep_items("layers", arch, "auto")
    names = shown(items)
    assert (set(BN) <= set(names)) == any(arch.bn) and (not set(BN) & set(names)) == (not any(arch.bn))
    assert ("dropout" in names) == any(arch.drop) == ("dropout_mask" in names)
    assert ("residual" in names) == any(arch.res)
    assert set(names) <= set(theory.FORMULAS)
    fields = {content: f for kind, content, *rest in items if kind == "text" for f in rest}
    if any(arch.bn):
        assert fields["theory.deep.batch_norm"]["layers"] == ", ".join(
            str(l) for l, on in enumerate(arch.bn, start=1) if on)
    if any(arch.drop):
        assert fields["theory.deep.dropout"]["rates"] == ", ".join(
            f"{p:g}" for p in sorted(set(arch.drop) - {0.0}))
    if any(arch.res):
        assert fields["theory.deep.residual"]["layers"] == "2, 3"


def test_the_formulas_say_what_the_code_does():
    f = theory.FORMULAS
    assert f"{1 - BN_MOMENTUM:g}" in f["bn_running_mean"] and f"{BN_MOMENTUM:g}" in f["bn_running_var"]
    assert r"\dfrac{B}{B-1}" in f["bn_running_var"]          # the unbiased variance
    assert "1-p" in f["dropout"] and r"\mu_B" not in f["bn_eval"]   # evaluation: running stats
    assert r"\dfrac{2}{n_{\mathrm{in}}}" in f["init_he"]
    assert r"n_{\mathrm{in}} + n_{\mathrm{out}}" in f["init_xavier"]     # config's Xavier
    assert r"\mathcal{N}(0,\, 1)" in f["init_large"]


@pytest.mark.parametrize("init", INITS)
@pytest.mark.parametrize("activation", ["tanh", ("relu", "tanh")])
def test_the_init_in_use_is_shown(init, activation):
    arch = Network((2, 5, 5, 2), activation=activation).arch
    items = theory.deep_items("init", arch, init)
    assert texts(items) == [f"theory.init.{init}"]
    if init == "auto":       # He's rule where a layer's activation asks for it; Xavier's for the rest
        assert shown(items) == (["init_he"] if "relu" in arch.act else []) + ["init_xavier"]
    else:
        assert shown(items) == [f"init_{init}"]
    assert set(theory.DEEP_TEXTS) == {f"theory.init.{name}" for name in INITS}
    assert all(key in catalogue("en") for key in texts(items))


def test_the_panel_shows_batch_norm_only_when_it_is_on(make_app):
    plain = make_app((1024, 768), hidden=(6, 6))
    plain.actions.toggle_theory()
    plain.frame()
    view = plain.painter.theory_view
    assert not set(BN) & set(view.formulas) and "residual" not in view.formulas
    assert "init_xavier" in view.formulas               # tanh: Xavier's rule
    deep = make_app((1024, 768), hidden=(6, 6), batch_norm=(False, True), residual=True,
                    init="he")
    deep.actions.toggle_theory()
    deep.frame()
    view = deep.painter.theory_view
    assert set(BN) | {"residual", "init_he"} <= set(view.formulas)
    assert "dropout" not in view.formulas and "init_xavier" not in view.formulas
    assert _("theory.deep.batch_norm", layers="2", eps=theory.EPS_SHOWN) in view.paragraphs


@pytest.mark.parametrize("code", ["de", "es"])
def test_the_deep_texts_are_translated(code, make_app):
    set_language(code)
    app = make_app((1024, 768), hidden=(6, 6, 6), batch_norm=True, dropout=0.2, residual=True,
                   language=code)
    app.actions.toggle_theory()
    app.frame()
    view = app.painter.theory_view
    line = _("theory.deep.dropout", layers="1–3", rates="0.2")
    assert line in view.paragraphs
    assert line != catalogue("en")["theory.deep.dropout"].format(layers="1–3", rates="0.2")


def test_long_runs_of_layers_read_as_ranges():
    arch = Network((2,) + (8,) * 16 + (2,), batch_norm=True, residual=True,
                   dropout=(0.0, 0.2, 0.2) + (0.0,) * 13).arch
    fields = {content: f for kind, content, *rest in theory.deep_items("layers", arch, "auto")
              if kind == "text" for f in rest}
    assert fields["theory.deep.batch_norm"]["layers"] == "1–16"
    assert fields["theory.deep.residual"]["layers"] == "2–16"
    assert fields["theory.deep.dropout"]["layers"] == "2, 3"


def test_formulas_stand_on_a_light_plate_in_the_dark_theme(make_app):
    from nnsim.app.draw import theme as th
    from nnsim.app.views.theory_view import shown_formula
    t = make_app((1024, 768), theme="dark").painter.theory_view.t
    dark = shown_formula("residual", 600, t)
    assert tuple(dark.get_at((dark.get_width() // 2, 1))) == (*th.WHITE, 255)   # the plate
    th.use("light")
    light = shown_formula("residual", 600, t)                # the ink on the card itself
    assert dark.get_size() == (light.get_width() + 2 * t.px(4), light.get_height() + 2 * t.px(4))
