"""The demo web page, the embeddable chat widget and the socket.io channel it talks to.

`bot.web.server` serves the page and the widget files (aiohttp);
`bot.web.socketio_channel` is the Rasa input channel named in credentials.yml.
"""
