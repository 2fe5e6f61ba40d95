"""Progress: a learner's results over time, aggregated into trends, patterns and recommendations."""
