"""Text analysis: the learner-error taxonomy, text metrics, feedback and practice tasks."""
