"""Everything that plugs the domain package `bot` into Rasa: input channels, NLU components, tracker store.

`bot/` knows nothing of Rasa (a test checks); `actions/` is the rasa-sdk side.
"""
