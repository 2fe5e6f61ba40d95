"""Audio in: decoding any accepted container to PCM, and fetching audio by URL."""
