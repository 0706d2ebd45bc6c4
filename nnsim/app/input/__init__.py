"""Input: pygame events become the playground's commands (keys) and intents (pointer)."""
