"""krakend-plugin-lint: tells a KrakenD plugin author whether the plugin will load."""

__version__ = "0.1.0"
