"""The pygame playground: window, views, widgets, input handling."""
import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
# SDL shows a window surface through an OpenGL texture by default; without a GPU (Mesa's
# llvmpipe, e.g. Xvfb or a classroom PC's fallback driver) that costs ~14 ms of CPU a
# 1920x1080 frame, against ~1 ms for SDL's plain X11 image copy, which also lets
# display.update(rects) send only the rectangles that changed.
os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")
