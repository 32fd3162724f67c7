"""The demo web page, the embeddable chat widget and the socket.io channel it talks to.

`bot.web.server` serves the page and the widget files (aiohttp);
the Rasa input channel it talks to is `rasa_adapters.channels.socketio` (credentials.yml).
"""
