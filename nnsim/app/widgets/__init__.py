"""Widgets: panel controls, prompts, and what a lesson does to them."""
