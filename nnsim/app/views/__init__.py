"""Views: each reads the state and draws one region of the window; they never train."""
