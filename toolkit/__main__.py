from toolkit.cli import command

raise SystemExit(command())
