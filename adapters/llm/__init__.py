"""Optional LLM providers for text analysis: Gemini (google-genai) and OpenAI-compatible servers (openai)."""
