"""Lecture features: step decks, copying the picture, presentation mode, quizzes."""
