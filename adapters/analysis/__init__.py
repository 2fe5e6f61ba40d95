"""The offline text-analysis engine: Harper, spaCy learner-error rules, ERRANT typing, lexical profile."""
