"""Input channels of our own (Rasa's built-in ones live in rasa.core.channels).

`botframework` is the Microsoft Teams / Web Chat channel: `bf_config` reads its settings,
`bf_auth` checks the Bot Framework's signed tokens, `bf_connector` sends replies,
`bf_cards` turns Rasa responses into Bot Framework activities.
"""
