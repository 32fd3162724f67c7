"""Everything that plugs the domain package `bot` into Rasa: input channels, NLU components, tracker store,
the Rasa server's launcher (rasa_server: the API token never on a command line) and `make shell` (shell).

`bot/` knows nothing of Rasa (a test checks); `actions/` is the rasa-sdk side.
"""
