"""The Microsoft Teams / Bot Framework protocol, without Rasa.

`bf_config` reads the channel's settings, `bf_auth` checks the Bot Framework's signed
tokens, `bf_connector` sends replies, `bf_activity` reads incoming activities and
`bf_cards` turns replies into Bot Framework activities. The Rasa input channel that
uses them is `rasa_adapters.channels.botframework`.
"""
