"""Rasa input channels named in credentials.yml: REST, the web widget's socket.io, Teams / Bot Framework."""
