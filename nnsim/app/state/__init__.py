"""The app's state and the commands that change it: UI state, actions, training schedule and worker."""
