"""Speech recognisers and speaker diarizers. Importing this package loads no model."""
