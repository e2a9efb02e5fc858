"""ECPSC: settings, stores and the `ecpsc` command that runs the back office."""
