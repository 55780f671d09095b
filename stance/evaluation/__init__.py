"""Evaluation of the stance model and of whole comparisons on labelled data."""
