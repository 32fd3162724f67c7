"""Danish health-house assistant: domain code that knows nothing of Rasa."""
