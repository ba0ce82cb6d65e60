"""The Federal Skilled Trades Program (IRPR 87.2) as a program plugin: catalog, derivation, plugin."""
