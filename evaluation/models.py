"""Models for the evaluation app arrive with the issues that build it."""
