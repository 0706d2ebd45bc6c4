"""The shell: window, loop, pacing, warm-up, recording and screenshots."""
