"""Models for the participation app arrive with the issues that build it."""
