"""The pygame playground: window, views, widgets, input handling."""
import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
