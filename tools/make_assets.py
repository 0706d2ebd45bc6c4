"""Make the app's assets: fonts copied from matplotlib's bundled DejaVu family.

Re-runnable; the output in assets/ is committed, so the app never needs matplotlib.
Run: pip install -e ".[tools]" && python tools/make_assets.py
"""
import shutil
from pathlib import Path

import matplotlib

ASSETS = Path(__file__).resolve().parents[1] / "assets"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE_DEJAVU")


def copy_fonts():
    source = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    (ASSETS / "fonts").mkdir(parents=True, exist_ok=True)
    for name in FONTS:
        shutil.copyfile(source / name, ASSETS / "fonts" / name)


if __name__ == "__main__":
    copy_fonts()
    print(f"assets written to {ASSETS}")
