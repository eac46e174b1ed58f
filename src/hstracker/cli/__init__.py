"""The thin command line: each module parses a command's arguments, calls the core, renders."""
