"""Make the app's assets: fonts copied from matplotlib's bundled DejaVu family, and the
theory panel's formulas typeset by matplotlib's mathtext as PNGs at twice the size the app
shows them (it scales them down, so they stay sharp on a projector).

Re-runnable; the output in assets/ is committed, so the app never needs matplotlib.
Run: pip install -e ".[tools]" && python tools/make_assets.py
"""
import shutil
from pathlib import Path

import matplotlib
from matplotlib import mathtext
from matplotlib.font_manager import FontProperties

from nnsim.lessons.theory import FORMULAS

ASSETS = Path(__file__).resolve().parents[1] / "assets"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE_DEJAVU")


def copy_fonts():
    source = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    (ASSETS / "fonts").mkdir(parents=True, exist_ok=True)
    for name in FONTS:
        shutil.copyfile(source / name, ASSETS / "fonts" / name)


FORMULA_PT = 15          # point size of the formulas as shown at the design window size
FORMULA_COLOUR = "#22272e"   # theme.TEXT


def render_formulas():
    """assets/formulas/NAME.png for every formula, transparent, dark text, at 2x."""
    out = ASSETS / "formulas"
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.png"):
        if stale.stem not in FORMULAS:
            stale.unlink()
    with matplotlib.rc_context({"savefig.transparent": True, "mathtext.fontset": "cm"}):
        for name, tex in FORMULAS.items():
            mathtext.math_to_image(tex, out / f"{name}.png", prop=FontProperties(size=FORMULA_PT),
                                   dpi=2 * 96, format="png", color=FORMULA_COLOUR)


if __name__ == "__main__":
    copy_fonts()
    render_formulas()
    print(f"assets written to {ASSETS}")
