"""The app's fonts and formula images, made by tools/make_assets.py; installed as the package
``nnsim.assets`` (see pyproject.toml) and read with importlib.resources."""
