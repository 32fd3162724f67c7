"""The Danish spaCy pipeline: the real `da_core_news_sm`, or a clearly named offline build."""
