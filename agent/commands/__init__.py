"""The subcommands of `align`, one module each, imported only when used."""
